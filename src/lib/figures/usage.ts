// Which essays use which figure, read from their MDX: a figure is used where its component is written.

export const FIGURE_COMPONENTS = {
  AmnestyScorecard: 'Message privacy, scored by Amnesty in 2016',
  MauChart: 'WeChat’s growth, 2011–2025',
  LawTimeline: 'Law and incidents, 2010–2025',
  ConvenienceLedger: 'The convenience ledger',
  ReaderPoll: 'Reader poll',
} as const;

export type FigureComponent = keyof typeof FIGURE_COMPONENTS;

export function usesFigure(body: string, component: FigureComponent): boolean {
  return new RegExp(`<${component}[\\s/>]`).test(body);
}

export function essaysUsing<T extends { body?: string }>(essays: readonly T[], component: FigureComponent): T[] {
  return essays.filter((e) => usesFigure(e.body ?? '', component));
}
