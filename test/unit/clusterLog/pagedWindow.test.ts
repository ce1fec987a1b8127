import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PagedWindow, type WindowLine } from '../../../src/core/clusterLog/pagedWindow';
import { decodeViewQuery, encodeViewQuery, viewTitle } from '../../../src/core/clusterLog/viewFilters';

/** A merged log of `n` lines, two per time, read a page at a time as the merge pages it (exclusive cursors). */
function log(n: number) {
  const all: WindowLine[] = Array.from({ length: n }, (_, i) => ({
    time: Math.floor(i / 2) * 10,
    key: { time: Math.floor(i / 2) * 10, bundle: 0, node: 'n', file: 'f', line: i + 1 },
  }));
  const after = (line: number | undefined, limit: number) => {
    const start = line === undefined ? 0 : line; // key line is 1-based: the lines after it start at index `line`
    const page = all.slice(start, start + limit);
    return { page, more: start + limit < n };
  };
  const before = (line: number, limit: number) => {
    const end = line - 1;
    const page = all.slice(Math.max(0, end - limit), end);
    return { page, more: end - limit > 0 };
  };
  return { all, after, before };
}

test('scrolling down through the whole log pages forward exactly and holds at most three pages', () => {
  const { all, after } = log(1001);
  const w = new PagedWindow(3);
  const first = after(undefined, 100);
  w.reset([], first.page, { atStart: true, atEnd: !first.more });
  const seen = [...w.lines];
  let most = 0;
  while (w.nextCursor) {
    const { page, more } = after(w.nextCursor.line, 100);
    const dropped = w.append(page, more);
    assert.ok(dropped === 0 || dropped === 100);
    seen.push(...page);
    most = Math.max(most, w.lines.length);
  }
  assert.deepEqual(seen, all, 'no line lost or repeated');
  assert.ok(most <= 300, `held ${most}`);
  assert.ok(w.atEnd && !w.atStart);
  assert.equal(w.lines[w.lines.length - 1], all[1000]);
});

test('scrolling back up from the end pages backward exactly, and the top is known to be the start', () => {
  const { all, before } = log(555);
  const w = new PagedWindow(3);
  w.reset(all.slice(455), [], { atStart: false, atEnd: true });
  const seen = [...w.lines];
  while (w.previousCursor) {
    const { page, more } = before(w.previousCursor.line, 100);
    const added = w.prepend(page, more);
    assert.equal(added, page.length);
    seen.unshift(...page);
    assert.ok(w.lines.length <= 300);
  }
  assert.deepEqual(seen, all);
  assert.ok(w.atStart && !w.atEnd, 'dropping the bottom page means more follow again');
});

test('the window asks for a page only near an edge that has more beyond it', () => {
  const { all } = log(300);
  const w = new PagedWindow(3);
  w.reset(all.slice(0, 100), all.slice(100, 200), { atStart: true, atEnd: false });
  assert.equal(w.wants(0, 40, 20), undefined, 'at the top of the log: nothing before');
  assert.equal(w.wants(150, 185, 20), 'next');
  assert.equal(w.wants(50, 90, 20), undefined);
  w.reset(all.slice(100, 200), [], { atStart: false, atEnd: true });
  assert.equal(w.wants(5, 40, 20), 'previous');
  assert.equal(w.wants(60, 99, 20), undefined, 'at the end of the log: nothing after');
});

test('finding entries: by key, first at or after a time, and whether a time is held', () => {
  const { all } = log(100);
  const w = new PagedWindow(3);
  w.reset(all.slice(10, 40), all.slice(40, 60), { atStart: false, atEnd: false });
  assert.equal(w.indexOfKey(all[45].key), 35);
  assert.equal(w.indexOfKey(all[5].key), -1);
  assert.equal(w.firstAtOrAfter(201), 32, 'times 210 are entries 42, 43');
  assert.equal(w.lines[w.firstAtOrAfter(200)], all[40]);
  assert.ok(w.holds(205) && w.holds(290) && !w.holds(295) && !w.holds(40));
  assert.ok(!w.holds(50 /* = the first line's time: an earlier line at it may precede the window */));
});

test('a view query survives its URI, and a hand-made one is read safely; the title has no path separator', () => {
  const q = {
    bundle: '/b',
    filters: { include: ['pid: 65380'], exclude: ['a/b'], level: 'E' as const, nodes: ['n1'], sources: ['zookeeper'], from: 5 },
  };
  assert.deepEqual(decodeViewQuery(encodeViewQuery(q)), q);
  assert.deepEqual(decodeViewQuery('{"filters":{"include":[1,"x"],"level":"Z","from":"3"}}'), {
    filters: { include: ['x'], exclude: [], nodes: [], sources: [] },
  });
  assert.deepEqual(decodeViewQuery('not json'), { filters: { include: [], exclude: [], nodes: [], sources: [] } });
  const title = viewTitle({ ...q.filters, exclude: ['a/b?c#d\u202e'] });
  assert.doesNotMatch(title, /[/?#\u202e]/);
  assert.match(title, /^Cluster Log · \+pid: 65380 −a∕b/);
  assert.equal(viewTitle({ include: [], exclude: [], nodes: [], sources: [] }), 'Cluster Log');
});
