// The site's name and one-line description, used in titles, feeds and metadata.
export const SITE = {
  name: 'The Convenience Bargain',
  description: 'Essays on WeChat, privacy and self-disclosure.',
} as const;
