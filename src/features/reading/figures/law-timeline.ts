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
  { date: '2010-09-01', precision: 'day', kind: 'identity', title: 'ID for new SIM cards', detail: 'A new mobile number needs an identity document.' },
  { date: '2012-12-28', precision: 'day', kind: 'identity', title: 'NPC decision on network information', detail: 'Real-identity registration for network and telephone service becomes law.' },
  { date: '2013-09-01', precision: 'day', kind: 'identity', title: 'Real-name phone registration', detail: 'MIIT Order No. 25: every telephone user, with fines for operators.' },
  { date: '2013-09-01', precision: 'day', kind: 'companies', title: 'Consent, and a way out', detail: 'MIIT Order No. 24: consent, only what the service needs, and a way to cancel an account.' },
  { date: '2017-06-01', precision: 'day', kind: 'identity', title: 'Cybersecurity Law, Article 24', detail: 'Real identity for network access, telephone and instant messaging.' },
  { date: '2017-06-01', precision: 'day', kind: 'companies', title: 'Cybersecurity Law, Articles 41 and 43', detail: 'Consent and stated purposes; deletion of data collected unlawfully.' },
  { date: '2017-06-01', precision: 'day', kind: 'state', title: 'Cybersecurity Law, Articles 21 and 28', detail: 'Logs kept six months; technical support to the security organs.' },
  { date: '2019-01-25', precision: 'day', kind: 'companies', title: 'Campaign against illegal collection', detail: 'A year-long campaign by four agencies against apps.' },
  { date: '2019-12-01', precision: 'day', kind: 'identity', title: 'Face scan for new SIM cards', detail: 'A new mobile number needs a face scan.' },
  { date: '2021-09-01', precision: 'day', kind: 'state', title: 'Data Security Law, Article 35', detail: 'Organisations must hand data to the security organs on request.' },
  { date: '2021-11-01', precision: 'day', kind: 'companies', title: 'Personal Information Protection Law', detail: 'Informed consent; no service refused for declining; see, copy, delete.' },
  { date: '2021-11-01', precision: 'day', kind: 'state', title: 'PIPL, Articles 13 and 35', detail: 'No consent needed for statutory duties; notice may be skipped.' },
  { date: '2021-11-03', precision: 'day', kind: 'companies', title: '38 apps named', detail: 'The industry ministry orders 38 apps, Tencent’s among them, to comply.' },
  { date: '2025-01-01', precision: 'day', kind: 'companies', title: 'Network Data Security Management Regulations', detail: 'Detailed duties for platforms.' },
  { date: '2025-07-15', precision: 'day', kind: 'identity', title: 'National online identity', detail: 'A state “network number” to prove who you are online.' },
];

export const KIND_LABELS: Record<TimelineKind, string> = {
  identity: 'Identity rules',
  companies: 'Limits on companies',
  state: 'State access',
};
