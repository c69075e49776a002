import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeBatch } from '../../src/lib/write-batch.ts';

describe('writeBatch', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('writes what waits once, together, after the delay; a later value for a key replaces the earlier', () => {
    const written: [object, number[]][] = [];
    const batch = writeBatch<object, number>((owner, values) => written.push([owner, values]), 5_000);
    const a = {};
    const b = {};
    batch.add(a, 'x', 1);
    batch.add(a, 'y', 2);
    batch.add(a, 'x', 3);
    batch.add(b, 'x', 9);
    expect(batch.pending(a, 'x')).toBe(3);
    vi.advanceTimersByTime(4_999);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([
      [a, [3, 2]],
      [b, [9]],
    ]);
    expect(batch.pending(a, 'x')).toBeUndefined();
    vi.advanceTimersByTime(60_000);
    expect(written).toHaveLength(2);
  });

  it('flush writes at once and cancels the timer; nothing waiting writes nothing', () => {
    const written: number[][] = [];
    const batch = writeBatch<object, number>((_, values) => written.push(values), 5_000);
    const owner = {};
    batch.flush(owner);
    batch.add(owner, 'k', 1);
    batch.flush(owner);
    vi.advanceTimersByTime(10_000);
    expect(written).toEqual([[1]]);
    batch.add(owner, 'k', 2);
    vi.advanceTimersByTime(5_000);
    expect(written).toEqual([[1], [2]]);
  });
});

describe('writeBatch when a write fails', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** A batch whose writes fail while `busy.now`, as a database held by another process does. */
  function busyBatch() {
    const busy = { now: true };
    const written: number[][] = [];
    const batch = writeBatch<object, number>((_, values) => {
      if (busy.now) throw new Error('database is locked');
      written.push(values);
    }, 5_000);
    return { batch, busy, written, owner: {} };
  }

  it('never throws from its timer, and writes what failed on the next try unless a newer value came', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { batch, busy, written, owner } = busyBatch();
    batch.add(owner, 'x', 1);
    batch.add(owner, 'y', 2);
    expect(() => vi.advanceTimersByTime(5_000)).not.toThrow();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(batch.pending(owner, 'x')).toBe(1);
    batch.add(owner, 'x', 3);
    busy.now = false;
    vi.advanceTimersByTime(5_000);
    expect(written).toEqual([[3, 2]]);
    expect(batch.pending(owner, 'y')).toBeUndefined();
  });

  it('throws from a flush asked for directly, keeping what waited for the next try', () => {
    const { batch, busy, written, owner } = busyBatch();
    batch.add(owner, 'k', 1);
    expect(() => batch.flush(owner)).toThrow('database is locked');
    busy.now = false;
    vi.advanceTimersByTime(5_000);
    expect(written).toEqual([[1]]);
  });
});
