// The figures an essay can use, by component name and by the name on the page (the figure's id
// and data-figure, also the name in an essay's `{/* figure: … */}` placeholder), and which essays
// use which: a figure is used where its component is written in the MDX.

export const FIGURES = {
  AmnestyScorecard: 'amnesty-scorecard',
  MauChart: 'mau-chart',
  LawTimeline: 'law-timeline',
  ConvenienceLedger: 'convenience-ledger',
  ReaderPoll: 'reader-poll',
} as const;

export type FigureComponent = keyof typeof FIGURES;
export type FigureName = (typeof FIGURES)[FigureComponent];

export function usesFigure(body: string, component: FigureComponent): boolean {
  return new RegExp(`<${component}[\\s/>]`).test(body);
}

/** The page names of the figures an essay's MDX places. */
export function figuresIn(body: string): FigureName[] {
  return (Object.keys(FIGURES) as FigureComponent[]).filter((c) => usesFigure(body, c)).map((c) => FIGURES[c]);
}

/** The names in `{/* figure: name *\/}` placeholders still waiting for their component. */
export function figurePlaceholders(body: string): string[] {
  return [...body.matchAll(/\{\/\*\s*figure:\s*([\w-]+)\s*\*\/\}/g)].map((m) => m[1]);
}

export function essaysUsing<T extends { body?: string }>(essays: readonly T[], component: FigureComponent): T[] {
  return essays.filter((e) => usesFigure(e.body ?? '', component));
}
