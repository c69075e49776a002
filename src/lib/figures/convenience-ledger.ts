// The convenience ledger: WeChat features and the data each one needs to work. Where the Weixin
// Privacy Protection Guidelines (2025) tie a feature to data, the ledger follows them; otherwise it
// lists only what the feature cannot work without (a chat cannot be delivered without its text).

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

export interface LedgerFeature {
  id: string;
  name: string;
  use: string;
  data: readonly string[];
  /** Every account pays this entry, ticked or not. */
  always?: boolean;
}

export const LEDGER_FEATURES: readonly LedgerFeature[] = [
  { id: 'account', name: 'An account', use: 'signing up at all', data: ['phone'], always: true },
  { id: 'chat', name: 'Chats and calls', use: 'messages, voice notes, video calls', data: ['messages', 'social'] },
  { id: 'friends', name: 'Friend suggestions', use: 'finding people you know', data: ['contacts', 'social'] },
  { id: 'moments', name: 'Moments', use: 'sharing photos and news with friends', data: ['posts', 'social'] },
  { id: 'nearby', name: 'Shake and People Nearby', use: 'meeting people close by', data: ['location'] },
  { id: 'pay', name: 'WeChat Pay', use: 'paying in shops, sending red envelopes', data: ['id-number', 'bank', 'payments'] },
  { id: 'verify', name: 'Identity checks', use: 'security checks when an account looks at risk', data: ['face', 'id-number'] },
  { id: 'mini', name: 'Mini Programs', use: 'ordering food, booking rides, public services', data: ['services', 'payments', 'location'] },
  { id: 'articles', name: 'Official Accounts and Channels', use: 'news, articles and short videos', data: ['reading'] },
];

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
