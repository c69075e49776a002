// Reader polls: their questions, and the pure rules for a ballot. The concern question sits beside
// the behaviour question so that the privacy paradox can be measured among this site's readers.
import { refuse, type Outcome } from '../refusal.ts';

export interface PollOption {
  id: string;
  label: string;
}

export interface PollQuestion {
  id: string;
  text: string;
  options: readonly PollOption[];
}

export interface PollDefinition {
  id: string;
  title: string;
  questions: readonly [PollQuestion, PollQuestion];
  /** Options of the first question that count as "worried", and of the second that count as "carries on". */
  worried: readonly string[];
  staying: readonly string[];
}

export const POLLS: readonly PollDefinition[] = [
  {
    id: 'wechat-paradox',
    title: 'Worry, and what you would do about it',
    questions: [
      {
        id: 'concern',
        text: 'How much does it worry you that one app can see your messages, your payments and where you are?',
        options: [
          { id: 'none', label: 'Not at all' },
          { id: 'little', label: 'A little' },
          { id: 'lot', label: 'Quite a lot' },
          { id: 'great', label: 'A great deal' },
        ],
      },
      {
        id: 'behaviour',
        text: 'If you learned that your messaging app kept a copy of every chat, would you stop using it?',
        options: [
          { id: 'stop', label: 'Yes, I would stop' },
          { id: 'less', label: 'I would use it less' },
          { id: 'keep', label: 'No, I would carry on' },
          { id: 'cannot', label: 'I could not stop: too much depends on it' },
        ],
      },
    ],
    worried: ['lot', 'great'],
    staying: ['keep', 'cannot'],
  },
];

export function findPoll(id: string): PollDefinition | undefined {
  return POLLS.find((p) => p.id === id);
}

export interface Answer {
  question: string;
  choice: string;
}

/**
 * Checks a submitted ballot against the poll: every question answered once, with one of its own
 * options. `sent` holds every value the form sent under each name (a field sent twice is two
 * values): a radio group sends one, so a question sent twice is refused rather than one of its
 * answers picked.
 */
export function parseBallot(poll: PollDefinition, sent: Readonly<Record<string, unknown>>): Outcome<{ answers: Answer[] }> {
  const answers: Answer[] = [];
  for (const question of poll.questions) {
    const values = [sent[question.id] ?? []].flat().filter((v) => v !== '');
    const refused = (message: string) => refuse('invalid', message, { field: question.id });
    if (values.length === 0) return refused(`Please answer “${question.text}”`);
    if (values.length > 1) return refused(`Please choose only one answer to “${question.text}”`);
    const [raw] = values;
    if (typeof raw !== 'string' || !question.options.some((o) => o.id === raw)) {
      return refused(`That is not one of the answers to “${question.text}” Please choose one of the options.`);
    }
    answers.push({ question: question.id, choice: raw });
  }
  return { ok: true, answers };
}

/**
 * Where to send a voter back to: a path on this site (never another host), else the poll's own page.
 * Only plain paths pass: no scheme, no "//", no backslashes, no query, no escapes (stricter than
 * safeNext, for the path goes into a query string and gets a fragment).
 */
export function safeReturnPath(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  return /^\/(?![/\\])[\w\-/]*$/.test(raw) && raw.length <= 200 ? raw : fallback;
}

/**
 * Where a recorded vote sends the voter: from the island (JavaScript on) back to the essay, where
 * the island now shows the results; from the plain form to the poll's page, which shows them
 * without any script and links back to the essay.
 */
export function afterVotePath(pagePath: string, returnTo: string, viaIsland: boolean): string {
  if (returnTo === pagePath) return pagePath;
  return viaIsland ? `${returnTo}#reader-poll` : `${pagePath}?from=${encodeURIComponent(returnTo)}`;
}

export interface Tally {
  question: string;
  choice: string;
  count: number;
}

export interface PairTally {
  first: string;
  second: string;
  count: number;
}

export interface OptionResult extends PollOption {
  count: number;
  /** Whole percent of this question's votes. */
  percent: number;
}

export interface PollSummary {
  voters: number;
  questions: { question: PollQuestion; total: number; options: OptionResult[] }[];
  /** Of readers who said they worry, how many would carry on anyway. */
  paradox: { worried: number; staying: number; percent: number };
  /**
   * The worried who would stay, answer by answer, in the poll's order: "I would carry on" and "I
   * could not stop" are different answers, and the results report them apart.
   */
  stayingByChoice: { id: string; label: string; count: number; percent: number }[];
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((100 * part) / whole);
}

export function summarisePoll(poll: PollDefinition, tallies: readonly Tally[], pairs: readonly PairTally[]): PollSummary {
  const questions = poll.questions.map((question) => {
    const counts = question.options.map((o) => tallies.find((t) => t.question === question.id && t.choice === o.id)?.count ?? 0);
    const total = counts.reduce((a, b) => a + b, 0);
    return { question, total, options: question.options.map((o, i) => ({ ...o, count: counts[i], percent: percentOf(counts[i], total) })) };
  });
  const worriedPairs = pairs.filter((p) => poll.worried.includes(p.first));
  const worried = worriedPairs.reduce((a, p) => a + p.count, 0);
  const staying = worriedPairs.filter((p) => poll.staying.includes(p.second)).reduce((a, p) => a + p.count, 0);
  const stayingByChoice = poll.questions[1].options
    .filter((o) => poll.staying.includes(o.id))
    .map((o) => {
      const count = worriedPairs.filter((p) => p.second === o.id).reduce((a, p) => a + p.count, 0);
      return { id: o.id, label: o.label, count, percent: percentOf(count, worried) };
    });
  return {
    voters: Math.max(...questions.map((q) => q.total)),
    questions,
    paradox: { worried, staying, percent: percentOf(staying, worried) },
    stayingByChoice,
  };
}
