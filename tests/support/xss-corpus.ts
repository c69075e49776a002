// The XSS corpus: hostile text a reader could type as a comment, a display name, a flag note.
// Every payload that runs calls the canary __xss() (or alert/prompt/confirm, which open a dialog),
// so a browser test that renders them all can tell "escaped" from "executed".
export interface XssVector {
  name: string;
  category: 'script' | 'event-handler' | 'url' | 'svg-mathml' | 'markdown' | 'entity-mutation' | 'unicode' | 'other';
  payload: string;
}

const v = (category: XssVector['category'], payload: string, name = payload.slice(0, 60)): XssVector => ({ category, payload, name });

const SCRIPTS = [
  '<script>__xss(1)</script>',
  '<SCRIPT>__xss(2)</SCRIPT>',
  '<script src="data:text/javascript,__xss(3)"></script>',
  '<script/x>__xss(4)</script>',
  '<scr<script>ipt>__xss(5)</scr</script>ipt>',
  '"><script>__xss(6)</script>',
  "'><script>__xss(7)</script>",
  '</p><script>__xss(8)</script><p>',
  '</textarea><script>__xss(9)</script>',
  '</title><script>__xss(10)</script>',
  '</style><script>__xss(11)</script>',
  '</noscript><script>__xss(12)</script>',
  '<script>\n__xss(13)\n</script>',
  '<<script>__xss(14);//<</script>',
  '<script type="module">__xss(15)</script>',
  '</template><script>__xss(16)</script>',
];

const HANDLERS: [string, string][] = [
  ['img src=x', 'onerror'],
  ['img src=/favicon.svg', 'onload'],
  ['svg', 'onload'],
  ['body', 'onload'],
  ['iframe src=about:blank', 'onload'],
  ['input autofocus', 'onfocus'],
  ['details open', 'ontoggle'],
  ['video src=x', 'onerror'],
  ['audio src=x', 'onerror'],
  ['select autofocus', 'onfocus'],
  ['textarea autofocus', 'onfocus'],
  ['object data=x', 'onerror'],
  ['style', 'onload'],
  ['div tabindex=1 id=x autofocus', 'onfocusin'],
  ['marquee', 'onstart'],
  ['a href=# autofocus', 'onfocus'],
  ['p', 'onmouseover'],
  ['div', 'onpointerenter'],
  ['b', 'onclick'],
  ['img src=x', 'OnErRoR'],
];

const URLS = [
  '[click](javascript:__xss(40))',
  '[click](JaVaScRiPt:__xss(41))',
  '[click](javascript&#58;__xss(42))',
  '[click](&#106;avascript:__xss(43))',
  '[click](java\tscript:__xss(44))',
  '[click]( javascript:__xss(45))',
  '[click](<javascript:__xss(46)>)',
  '[click](javascript://%0a__xss(47))',
  '[click](data:text/html;base64,PHNjcmlwdD5fX3hzcyg0OCk8L3NjcmlwdD4=)',
  '[click](data:text/html,<script>__xss(49)</script>)',
  '[click](vbscript:__xss(50))',
  '[click][ref]\n\n[ref]: javascript:__xss(51)',
  '<javascript:__xss(52)>',
  '![img](javascript:__xss(53))',
  '[![img](x)](javascript:__xss(54))',
  '[click](\u0001javascript:__xss(55))',
  '<a href="javascript:__xss(56)">click</a>',
  '<a href="data:text/html,<script>__xss(57)</script>">click</a>',
  '<iframe src="javascript:__xss(58)"></iframe>',
  '<form action="javascript:__xss(59)"><button>send</button></form>',
];

const SVG_MATH = [
  '<svg><script>__xss(60)</script></svg>',
  '<svg><animate onbegin=__xss(61) attributeName=x dur=1s>',
  '<svg><a xlink:href="javascript:__xss(62)"><text x=20 y=20>click</text></a></svg>',
  '<svg><set attributeName=onmouseover to=__xss(63)>',
  '<svg><foreignObject><img src=x onerror=__xss(64)></foreignObject></svg>',
  '<svg><use href="data:image/svg+xml,<svg id=x><image href=x onerror=__xss(65) /></svg>#x"></use></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=__xss(66)></style></mglyph></table></mtext></math>',
  '<math href="javascript:__xss(67)">click</math>',
  '<math><maction actiontype="statusline#" xlink:href="javascript:__xss(68)">click</maction></math>',
  '<svg><style><img src=x onerror=__xss(69)></style></svg>',
  '<svg><title><img src=x onerror=__xss(70)></title></svg>',
  '<math><mi xlink:href="data:x,<script>__xss(71)</script>">x</mi></math>',
];

const MARKDOWN = [
  '[click](https://example.org" onmouseover="__xss(80))',
  "[click](https://example.org' onmouseover='__xss(81))",
  '[click](https://example.org "title\\" onmouseover=\\"__xss(82)")',
  '<https://example.org/" onmouseover="__xss(83)">',
  'https://example.org/<img src=x onerror=__xss(84)>',
  'www.example.org"onmouseover="__xss(85)"',
  '`<script>__xss(86)</script>`',
  '```\n</code><script>__xss(87)</script>\n```',
  '> <img src=x onerror=__xss(88)>',
  '- <img src=x onerror=__xss(89)>\n- item',
  '*<img src=x onerror=__xss(90)>*',
  '[<img src=x onerror=__xss(91)>](https://example.org)',
  '[click](https://example.org)<img src=x onerror=__xss(92)>',
  'mailto:a@b.c?body=<script>__xss(93)</script>',
  '<mailto:a@example.org?subject="><script>__xss(94)</script>>',
  '[a](https://a.b/"><script>__xss(95)</script>)',
  '**[click](javascript:__xss(96))**',
  '[click](#" onclick="__xss(97))',
  '\\<script>__xss(98)\\</script>',
  '![x](https://example.org/x.png" onerror="__xss(99))',
];

const ENTITY_MUTATION = [
  '&lt;script&gt;__xss(110)&lt;/script&gt;',
  '&#60;img src=x onerror=__xss(111)&#62;',
  '&#x3C;svg onload=__xss(112)&#x3E;',
  '<img src="x` `<script>__xss(113)</script>"` `>',
  '<noscript><p title="</noscript><img src=x onerror=__xss(114)>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss(115)>',
  '<a title="</a><img src=x onerror=__xss(116)>">x</a>',
  '<xmp><img src=x onerror=__xss(117)></xmp>',
  '<iframe srcdoc="&lt;script&gt;parent.__xss(118)&lt;/script&gt;"></iframe>',
  '<!-- --!><img src=x onerror=__xss(119)> -->',
  '<img src=x onerror=__xss(120)//',
  '<![CDATA[><img src=x onerror=__xss(121)>]]>',
  '<?xml ?><img src=x onerror=__xss(122)>',
  '<img src=x onerror="&#95;&#95;xss(123)">',
  '<img src=x onerror=\\u005f_xss(124)>',
  '<listing>&lt;img src=x onerror=__xss(125)&gt;</listing>',
  '<template><img src=x onerror=__xss(126)></template>',
  '<table><td><img src=x onerror=__xss(127)></table>',
];

const UNICODE = [
  '\u202e<script>__xss(130)</script>',
  'gnp.exe\u202e<img src=x onerror=__xss(131)>',
  '\u2066<svg onload=__xss(132)>\u2069',
  '[click](java\u200bscript:__xss(133))',
  '\uff1cscript\uff1e__xss(134)\uff1c/script\uff1e',
  '<scr\u0000ipt>__xss(135)</scr\u0000ipt>',
  '<img src=x o\u200cnerror=__xss(136)>',
  '\ufeff<script>__xss(137)</script>',
  '\u00bcscript\u00be__xss(138)\u00bc/script\u00be',
  '<img\u000csrc=x\u000conerror=__xss(139)>',
];

const OTHER = [
  '{{constructor.constructor("__xss(150)")()}}',
  '${__xss(151)}',
  '<base href="javascript:__xss(152)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:__xss(153)">',
  '<object data="javascript:__xss(154)"></object>',
  '<embed src="javascript:__xss(155)">',
  '<button formaction="javascript:__xss(156)" form=x>go</button>',
  '<input type=image src=x onerror=__xss(157)>',
  '<div style="background:url(javascript:__xss(158))">x</div>',
  '<style>@import "javascript:__xss(159)";</style>',
  '<p style="x:expression(__xss(160))">x</p>',
  '<link rel=stylesheet href="javascript:__xss(161)">',
  '<isindex action="javascript:__xss(162)" type=image>',
  '<img src=x onerror=alert(163)>',
  '<img src=x onerror=prompt(164)>',
  '<img src=x onerror=confirm(165)>',
  '<img src=x onerror=eval(atob("X194c3MoMTY2KQ=="))>',
  '<svg onload=top.__xss(167)>',
];

export const XSS_VECTORS: XssVector[] = [
  ...SCRIPTS.map((p) => v('script', p)),
  ...HANDLERS.map(([tag, handler], i) => v('event-handler', `<${tag} ${handler}=__xss(${20 + i})>`)),
  ...URLS.map((p) => v('url', p)),
  ...SVG_MATH.map((p) => v('svg-mathml', p)),
  ...MARKDOWN.map((p) => v('markdown', p)),
  ...ENTITY_MUTATION.map((p) => v('entity-mutation', p)),
  ...UNICODE.map((p) => v('unicode', p)),
  ...OTHER.map((p) => v('other', p)),
];

/** Installs the canary in a page before any of its scripts run: counts every call and dialog. */
export const CANARY_INIT = `
  window.__xssHits = [];
  window.__xss = (n) => { window.__xssHits.push(n); };
`;
