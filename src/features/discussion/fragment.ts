// Requests from the discussion script ask for an HTML fragment instead of a whole page, by a header.
export const FRAGMENT_HEADER = 'X-Discussion-Fragment';

/** Whether the header's value asks for a fragment. */
export function isFragmentHeader(value: string | string[] | null | undefined): boolean {
  return value === '1';
}
