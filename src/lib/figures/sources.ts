// The sources the figures cite, written once so captions and data tables agree.
export const SOURCES = {
  amnesty: {
    text: 'Amnesty International (2016). For Your Eyes Only? Ranking 11 Technology Companies on Encryption and Human Rights. POL 40/4985/2016, 20 October 2016.',
  },
  tencentResults: {
    text: 'Tencent Holdings, quarterly and annual results, 2013–2025 (combined Weixin and WeChat monthly active accounts).',
  },
  weixinGuidelines: {
    text: 'Weixin Privacy Protection Guidelines (English version, effective 9 May 2025), and the personal information collection list in the app’s settings.',
  },
  lawTimeline: {
    text: 'The laws and regulations named, in force on the dates shown; press reports and Citizen Lab (2020) for the incidents.',
  },
} as const;
