// The sources the figures cite, written once so captions and data tables agree.
export const SOURCES = {
  amnesty: {
    text: 'Amnesty International (2016). For Your Eyes Only? Ranking 11 Technology Companies on Encryption and Human Rights. POL 40/4985/2016, 20 October 2016, with its company-by-company assessment of which apps encrypted messages end to end by default.',
  },
  tencentResults: {
    text: 'Tencent Holdings, quarterly and annual results announcements, 2013–2025 (combined Weixin and WeChat monthly active accounts, as reported for each period).',
  },
  weixinGuidelines: {
    text: 'Shenzhen Tencent Computer Systems Company Limited, Weixin Privacy Protection Guidelines (English version, effective 9 May 2025): what each feature collects, what it is used for, and that refusing sensitive data disables only the feature that needs it unless the law requires the data.',
  },
  lawTimeline: {
    text: 'The laws and regulations named, in force on the dates shown: NPC Standing Committee Decision on Strengthening Network Information Protection (2012); MIIT Orders No. 24 and 25 (2013); Cybersecurity Law (2017); Data Security Law (2021); Personal Information Protection Law (2021); Network Data Security Management Regulations (2025); Measures on National Network Identity Authentication Public Services (2025); press reports for the SIM card rules, the 2019 campaign and the 38 apps.',
  },
} as const;
