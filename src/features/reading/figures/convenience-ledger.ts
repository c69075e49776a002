// The convenience ledger: WeChat features, the data each one needs, what Tencent says it uses the
// data for, and whether you can refuse it and keep using the app. It tests the idea of a trade: a
// trade needs a visible price and a way to say no. Where the Weixin Privacy Protection Guidelines
// (2025) tie a feature to data, the ledger follows them; otherwise it lists only what the feature
// cannot work without (a chat cannot be delivered without its text).

export interface DataKind {
  id: string;
  label: string;
}

export const DATA_KINDS: readonly DataKind[] = [
  { id: 'phone', label: 'a phone number registered to your national ID' },
  { id: 'contacts', label: 'your phone’s contact list' },
  { id: 'social', label: 'who your friends are and how often you talk' },
  { id: 'messages', label: 'the messages, photos and voice notes you send' },
  { id: 'posts', label: 'what you post and who reacts to it' },
  { id: 'location', label: 'your precise location' },
  { id: 'id-number', label: 'your national ID number' },
  { id: 'bank', label: 'a bank card' },
  { id: 'payments', label: 'what you buy, from whom, when and for how much' },
  { id: 'face', label: 'a scan of your face' },
  { id: 'services', label: 'what you do in other companies’ services (orders, bookings, rides)' },
  { id: 'reading', label: 'what you read and watch' },
];

/**
 * Can you refuse the data and keep using WeChat? 'yes': only this feature stops. 'no': the app
 * itself needs it. 'cost': you may refuse, but the account may be restricted.
 */
export type CanRefuse = 'yes' | 'no' | 'cost';

export interface LedgerFeature {
  id: string;
  name: string;
  /** What the feature does for you. */
  use: string;
  data: readonly string[];
  /** What the data is used for, as the guidelines or the feature itself say. */
  purpose: string;
  refusal: CanRefuse;
  /** Why the answer is what it is, in a few words. */
  refusalNote: string;
  /** Every account pays this entry, ticked or not. */
  always?: boolean;
}

export const LEDGER_FEATURES: readonly LedgerFeature[] = [
  {
    id: 'account', name: 'An account', use: 'signing up at all', data: ['phone'], always: true,
    purpose: 'identifying the account; the number is tied to your ID under telephone rules',
    refusal: 'no', refusalNote: 'no mainland number, no Weixin account',
  },
  {
    id: 'chat', name: 'Chats and calls', use: 'messages, voice notes, video calls', data: ['messages', 'social'],
    purpose: 'delivering what you send; the messages pass through Tencent’s servers',
    refusal: 'no', refusalNote: 'this is the app',
  },
  {
    id: 'friends', name: 'Friend suggestions', use: 'finding people you know', data: ['contacts', 'social'],
    purpose: 'suggesting people from your address book',
    refusal: 'yes', refusalNote: 'only the suggestions stop',
  },
  {
    id: 'moments', name: 'Moments', use: 'sharing photos and news with friends', data: ['posts', 'social'],
    purpose: 'showing your posts to the friends you choose',
    refusal: 'yes', refusalNote: 'chat works without posting',
  },
  {
    id: 'nearby', name: 'Shake and People Nearby', use: 'meeting people close by', data: ['location'],
    purpose: 'finding people near you',
    refusal: 'yes', refusalNote: 'only these features stop',
  },
  {
    id: 'pay', name: 'WeChat Pay', use: 'paying in shops, sending red envelopes', data: ['id-number', 'bank', 'payments'],
    purpose: 'real-name verification and moving the money',
    refusal: 'yes', refusalNote: 'chat works without Pay, but Pay does not work without your ID number',
  },
  {
    id: 'verify', name: 'Identity checks', use: 'security checks when an account looks at risk', data: ['face', 'id-number'],
    purpose: 'confirming that it is you, for example on a new phone',
    refusal: 'cost', refusalNote: 'you may decline, but the account may stay restricted',
  },
  {
    id: 'mini', name: 'Mini Programs', use: 'ordering food, booking rides, public services', data: ['services', 'payments', 'location'],
    purpose: 'what each mini program’s own operator says it is for',
    refusal: 'yes', refusalNote: 'each mini program asks separately',
  },
  {
    id: 'articles', name: 'Official Accounts and Channels', use: 'news, articles and short videos', data: ['reading'],
    purpose: 'recommending what to read and watch next',
    refusal: 'yes', refusalNote: 'personalised recommendations can be switched off',
  },
];

export const REFUSAL_LABELS: Record<CanRefuse, string> = {
  yes: 'Yes',
  no: 'No',
  cost: 'At a cost',
};

export function dataKind(id: string): DataKind {
  const kind = DATA_KINDS.find((k) => k.id === id);
  if (!kind) throw new Error(`Unknown data kind in the ledger: ${id}`);
  return kind;
}

/** The distinct kinds of data that a set of ticked features needs, in the ledger's order. */
export function dataForFeatures(ticked: Iterable<string>): DataKind[] {
  const chosen = new Set(ticked);
  const needed = new Set(LEDGER_FEATURES.filter((f) => f.always || chosen.has(f.id)).flatMap((f) => f.data));
  return DATA_KINDS.filter((k) => needed.has(k.id));
}

/** The kinds of data you cannot refuse and still use WeChat: those of the features that answer "no". */
export function unrefusableData(): DataKind[] {
  return dataForFeatures(LEDGER_FEATURES.filter((f) => f.refusal === 'no').map((f) => f.id));
}
