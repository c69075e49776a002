// The essay page's side of passages, loaded with the discussion island's script. Without it every
// margin marker is a link to the passage's own page, and a quote's link goes to its block.
// Here, what every reader needs: each marker shows its block's count (`applyPassageCounts`: from
// the island's `data-passage-counts`, a post or a delete, and the live stream's summary). Only
// attributes change, in slots of fixed size (passages.css): the text never moves. The rest (the
// selection control, following markers and quotes, highlighting) is passage-tools.ts, loaded the
// first time a reader needs it: the essay page's JavaScript stays within its 20 KB.
import { $, byId, DISCUSSION, on, plainClick, SUMMARY } from '../../lib/dom.ts';
import { decodePassageCounts, markerLabel } from './margin-rules.ts';

const tools = () => import('./passage-tools.ts');
const discussion = () => $(DISCUSSION);
const inEssay = (node: Node | null | undefined) => !!(node instanceof Element ? node : node?.parentElement)?.closest('.essay-body');

/** Shows each block's count of published comments in its marker. */
function applyPassageCounts(counts: string | null | undefined): void {
  const map = decodePassageCounts(counts);
  for (const marker of document.querySelectorAll<HTMLElement>('.essay-body .pm')) {
    const n = map.get(marker.parentElement!.id) ?? 0;
    if (n) marker.dataset.n = `${n}`;
    else delete marker.dataset.n;
    // The noun is the one the build named the marker with ("Discuss this paragraph").
    marker.setAttribute('aria-label', markerLabel(marker.getAttribute('aria-label')!.split(' this ')[1]!, n));
  }
}

on<CustomEvent<{ passages?: unknown } | null>>(SUMMARY, (event) => {
  const passages = event.detail?.passages;
  if (typeof passages === 'string') applyPassageCounts(passages);
});

// A posted comment empties its form (form.reset()): the quote goes with its text.
on('reset', (event) => (event.target as Element).querySelector?.('[data-form-passage]')?.remove(), true);

// The first selection of words in the essay brings the tools, which then follow the selection themselves.
on('selectionchange', function first() {
  const selection = getSelection();
  if (selection?.isCollapsed !== false || !inEssay(selection.anchorNode)) return;
  document.removeEventListener('selectionchange', first);
  void tools();
});

// A marker (when the discussion is here to filter) or a quote of this essay's words: followed in place.
on<MouseEvent>('click', (event) => {
  const link = (event.target as Element).closest?.<HTMLAnchorElement>('.essay-body .pm, [data-passage-link]');
  if (!link || !plainClick(event)) return;
  if (link.matches('.pm') ? !discussion() : !inEssay(byId(decodeURIComponent(link.hash.slice(1))))) return;
  event.preventDefault();
  void tools().then((t) => t.follow(link));
});

applyPassageCounts(discussion()?.dataset.passageCounts);
if (new URLSearchParams(location.search).has('hl')) void tools().then((t) => t.arrive());
