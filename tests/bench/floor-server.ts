// The floor the island is measured against: what a discussion page costs with nothing but one
// raw better-sqlite3 query and string concatenation in a bare node:http server. It reads the same
// rows the island's first page shows (the first 50 top-level threads, oldest first, with all their
// replies, authors, counts and whether the signed-in reader likes each), nothing more.
// Run as its own process: DATABASE_PATH=… PORT=… npx node tests/bench/floor-server.ts
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const PAGE_THREADS = 50;

interface Row {
  id: number;
  parent_id: number | null;
  username: string | null;
  display_name: string | null;
  body_html: string;
  like_count: number;
  created_at: number;
  liked: number;
}

const db = new Database(process.env.DATABASE_PATH!, { readonly: true });
db.pragma('busy_timeout = 5000');
const query = db.prepare<[string, string], Row>(`
  with page_roots as (
    select id from comments where essay = ? and parent_id is null and status = 'published'
    order by created_at, id limit ${PAGE_THREADS}
  )
  select c.id, c.parent_id, u.username, u.display_name, c.body_html, c.like_count, c.created_at,
    (l.user_id is not null) as liked
  from page_roots p
  join comments c on c.root_id = p.id and c.status = 'published'
  left join users u on u.id = c.author_id
  left join likes l on l.comment_id = c.id and l.user_id = (select user_id from sessions where id = ?)
  order by c.created_at, c.id`);

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function render(rows: Row[]): string {
  const children = new Map<number | null, Row[]>();
  const ids = new Set(rows.map((r) => r.id));
  for (const row of rows) {
    const parent = row.parent_id !== null && ids.has(row.parent_id) ? row.parent_id : null;
    const list = children.get(parent);
    if (list) list.push(row);
    else children.set(parent, [row]);
  }
  const list = (parent: number | null): string => {
    let out = '<ol>';
    for (const c of children.get(parent) ?? []) {
      const name = escape(c.display_name ?? c.username ?? '[deleted]');
      out +=
        `<li id="comment-${c.id}"><article><header><a href="/u/${encodeURIComponent(c.username ?? '')}">${name}</a> ` +
        `<time datetime="${new Date(c.created_at).toISOString()}"></time></header>${c.body_html}` +
        `<button aria-pressed="${c.liked ? 'true' : 'false'}">Liked by ${c.like_count}</button></article>` +
        (children.has(c.id) ? list(c.id) : '') +
        '</li>';
    }
    return out + '</ol>';
  };
  return `<div class="discussion">${list(null)}</div>`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const essay = url.searchParams.get('essay') ?? '';
  const session = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
  const html = render(query.all(essay, session));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`floor listening on ${process.env.PORT}`));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
