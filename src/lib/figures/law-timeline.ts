// China's rules on personal data, 2010–2025, in three rows: rules that tie people to their real
// identity, rules that limit what companies may collect and do, and rules that give the state access
// to what companies hold. One statute can appear in more than one row: the point is that the rows
// grow together, often in the same law.

export type TimelineKind = 'identity' | 'companies' | 'state';

export interface TimelineEntry {
  date: string;
  /** How precise the date is: a day, or only a month. */
  precision: 'day' | 'month';
  kind: TimelineKind;
  title: string;
  detail: string;
}

export const LAW_TIMELINE: readonly TimelineEntry[] = [
  { date: '2010-09-01', precision: 'day', kind: 'identity', title: 'ID for new SIM cards', detail: 'Buying a new mobile number requires an identity document.' },
  { date: '2012-12-28', precision: 'day', kind: 'identity', title: 'NPC decision on network information', detail: 'The legislature’s standing committee makes real-identity registration for network access and telephone service a legal requirement.' },
  { date: '2013-09-01', precision: 'day', kind: 'identity', title: 'Real-name phone registration', detail: 'MIIT Order No. 25 extends real-identity registration to every telephone user, with fines for operators.' },
  { date: '2013-09-01', precision: 'day', kind: 'companies', title: 'Consent, and a way out', detail: 'MIIT Order No. 24: telecom and internet firms need users’ consent to collect personal information, may collect only what the service needs, and must offer a way to cancel an account.' },
  { date: '2017-06-01', precision: 'day', kind: 'identity', title: 'Cybersecurity Law, Article 24', detail: 'Real identity is required for network access, telephone and instant-messaging services.' },
  { date: '2017-06-01', precision: 'day', kind: 'companies', title: 'Cybersecurity Law, Articles 41 and 43', detail: 'Collection only with consent and for stated purposes; users may demand deletion of data collected unlawfully.' },
  { date: '2017-06-01', precision: 'day', kind: 'state', title: 'Cybersecurity Law, Articles 21 and 28', detail: 'Operators keep network logs for at least six months and give technical support to public security and state security organs.' },
  { date: '2019-01-25', precision: 'day', kind: 'companies', title: 'Campaign against illegal collection', detail: 'Four agencies begin a year-long campaign against apps that collect personal information illegally.' },
  { date: '2019-12-01', precision: 'day', kind: 'identity', title: 'Face scan for new SIM cards', detail: 'New mobile numbers require a face scan matched to the identity card.' },
  { date: '2021-09-01', precision: 'day', kind: 'state', title: 'Data Security Law, Article 35', detail: 'Organisations must cooperate when public security or state security organs request data for national security or criminal investigations.' },
  { date: '2021-11-01', precision: 'day', kind: 'companies', title: 'Personal Information Protection Law', detail: 'Informed, voluntary consent; no refusing service to people who decline unnecessary processing; rights to see, copy and delete.' },
  { date: '2021-11-01', precision: 'day', kind: 'state', title: 'PIPL, Articles 13 and 35', detail: 'Processing without consent where statutory duties require it; state organs may skip notice where it would impede their duties.' },
  { date: '2021-11-03', precision: 'day', kind: 'companies', title: '38 apps named', detail: 'The industry ministry names 38 apps, Tencent’s among them, and orders them to fix their data practices.' },
  { date: '2025-01-01', precision: 'day', kind: 'companies', title: 'Network data regulations', detail: 'The Network Data Security Management Regulations add detailed duties for platforms.' },
  { date: '2025-07-15', precision: 'day', kind: 'identity', title: 'National online identity', detail: 'A state “network number” and “network certificate” let people prove who they are online; platforms that accept them may not ask for more.' },
];

export const KIND_LABELS: Record<TimelineKind, string> = {
  identity: 'Identity rules',
  companies: 'Limits on companies',
  state: 'State access',
};
