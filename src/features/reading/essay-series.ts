// The essays as one series: the order in which the argument builds, from each essay's `part`.

export interface SeriesEssay {
  id: string;
  data: { title: string; published: Date; part?: number };
}

/**
 * The essays of the series in argument order. Throws unless the parts run 1, 2, 3… without gaps or
 * repeats, and the publication dates follow them: a later part is never dated before an earlier one.
 */
export function seriesOrder<T extends SeriesEssay>(essays: readonly T[]): T[] {
  const parts = essays.filter((e) => e.data.part !== undefined).sort((a, b) => a.data.part! - b.data.part!);
  parts.forEach((essay, i) => {
    if (essay.data.part !== i + 1) throw new Error(`The series' parts must run 1, 2, 3…: ${essay.id} is part ${essay.data.part}, expected ${i + 1}`);
    const previous = parts[i - 1];
    if (!previous) return;
    if (essay.data.published < previous.data.published) {
      throw new Error(`${essay.id} (part ${essay.data.part}) is dated before ${previous.id} (part ${previous.data.part})`);
    }
  });
  return parts;
}

export interface SeriesPlace<T> {
  part: number;
  of: number;
  previous?: T;
  next?: T;
}

/** Where an essay sits in the series, with its neighbours; undefined when it is not part of it. */
export function seriesPlace<T extends SeriesEssay>(essay: T, essays: readonly T[]): SeriesPlace<T> | undefined {
  const order = seriesOrder(essays);
  const index = order.findIndex((e) => e.id === essay.id);
  if (index < 0) return undefined;
  return { part: index + 1, of: order.length, previous: order[index - 1], next: order[index + 1] };
}
