// The floor the discussion benchmark compares against: the same rows fetched with ONE raw
// better-sqlite3 query and rendered by plain string concatenation in a bare node:http server.
// No framework, no components, no sanitising on read: what the island could at best be.
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { escapeHtml } from '../../src/lib/escape-html.ts';

const db = new Database(process.env.DATABASE_PATH!);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const essay = process.env.ESSAY!;

const page = db.prepare(`
  with page_roots as (
    select r.id from comments r where r.essay = @essay and r.parent_id is null and r.status in ('published', 'deleted')
    order by r.created_at, r.id limit 50
  )
  select c.id, c.parent_id, c.depth, c.status, c.body_html, c.like_count, c.created_at, c.edited_at,
    u.username, u.display_name, (l.user_id is not null) as liked
  from page_roots p join comments c on c.root_id = p.id
  left join users u on u.id = c.author_id
  left join likes l on l.comment_id = c.id and l.user_id = (select user_id from sessions where id = @session)
  order by c.created_at, c.id`);

type Row = { id: number; parent_id: number | null; depth: number; body_html: string; like_count: number; created_at: number; edited_at: number | null; username: string | null; display_name: string | null; liked: number };

function renderComment(row: Row, children: Map<number | null, Row[]>): string {
  const kids = children.get(row.id) ?? [];
  let html = '<li id="comment-' + row.id + '" class="comment"><article><header><a href="/u/' + encodeURIComponent(row.username ?? '') + '">' +
    escapeHtml(row.display_name ?? row.username ?? '[deleted]') + '</a> <time datetime="' + new Date(row.created_at).toISOString() + '">' +
    new Date(row.created_at).toUTCString() + '</time>' + (row.edited_at ? ' edited' : '') + '</header><div class="comment-body">' + row.body_html +
    '</div><footer><form method="post" action="/comments/' + row.id + '/like"><button aria-pressed="' + (row.liked ? 'true' : 'false') + '">Like</button> ' +
    (row.like_count ? 'Liked by ' + row.like_count + ' people' : '') + '</form><a href="/comments/new?parent=' + row.id + '">Reply</a></footer></article>';
  if (kids.length) html += '<ol class="replies">' + kids.map((k) => renderComment(k, children)).join('') + '</ol>';
  return html + '</li>';
}

function renderPage(session: string | null): string {
  const rows = page.all({ essay, session }) as Row[];
  const children = new Map<number | null, Row[]>();
  for (const row of rows) {
    const list = children.get(row.parent_id);
    if (list) list.push(row);
    else children.set(row.parent_id, [row]);
  }
  return '<div class="discussion"><ol class="threads">' + (children.get(null) ?? []).map((r) => renderComment(r, children)).join('') + '</ol></div>';
}

const sessionUser = db.prepare('select user_id from sessions where id = ?').pluck();
const insert = db.prepare("insert into comments (essay, author_id, body_source, body_html, renderer_version, status, created_at) values (?, ?, ?, ?, 1, 'published', ?) returning id").pluck();
const setRoot = db.prepare('update comments set root_id = id where id = ?');
const post = db.transaction((userId: string, body: string) => {
  const id = insert.get(essay, userId, body, '<p>' + escapeHtml(body) + '</p>', Date.now()) as number;
  setRoot.run(id);
  return id;
});
const likeInsert = db.prepare('insert or ignore into likes (comment_id, user_id, created_at) values (?, ?, ?)');
const likeDelete = db.prepare('delete from likes where comment_id = ? and user_id = ?');
const recount = db.prepare('update comments set like_count = (select count(*) from likes where comment_id = @id) where id = @id returning like_count').pluck();
const like = db.transaction((commentId: number, userId: string, liked: boolean) => {
  if (liked) likeInsert.run(commentId, userId, Date.now());
  else likeDelete.run(commentId, userId);
  return recount.get({ id: commentId }) as number;
});

const cookieSession = (header: string | undefined) => /(?:^|;\s*)session=([^;]+)/.exec(header ?? '')?.[1] ?? null;

createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    return res.end(renderPage(cookieSession(req.headers.cookie)));
  }
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    const form = new URLSearchParams(raw);
    const userId = sessionUser.get(cookieSession(req.headers.cookie)) as string | undefined;
    if (!userId) return res.writeHead(401).end();
    const liking = /^\/comments\/(\d+)\/like$/.exec(req.url ?? '');
    if (liking) {
      const count = like(Number(liking[1]), userId, form.get('liked') !== '0');
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<form><button aria-pressed="' + (form.get('liked') !== '0') + '">Like</button> Liked by ' + count + ' people</form>');
    }
    const body = form.get('body') ?? '';
    const id = post(userId, body);
    res.writeHead(201, { 'Content-Type': 'text/html' });
    res.end('<li id="comment-' + id + '" class="comment"><div class="comment-body"><p>' + escapeHtml(body) + '</p></div></li>');
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('floor listening'));
