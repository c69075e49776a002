// The benchmark's and load test's figures cover the server and the processes it started (its live
// streams' holder): tests/bench/measure.ts.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuMs, processTree, rssMb } from '../bench/measure.ts';

describe.skipIf(process.platform !== 'linux')('a process and those it started', () => {
  it('finds a child and its child, and counts their CPU and memory with the parent’s', async () => {
    // A child that starts a grandchild spinning for ~300 ms of CPU with 64 MB resident, then waits.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', "const b = Buffer.alloc(64 * 1024 * 1024, 1); const t = Date.now(); while (Date.now() - t < 300); console.log('ready'); setInterval(() => b[0]++, 1000)"], { stdio: ['ignore', 'inherit', 'ignore'] });
      console.log('pid ' + g.pid);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    let grandchild = 0;
    try {
      let out = '';
      await new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => (out += c.toString()) && out.includes('ready') && resolve()));
      grandchild = Number(/pid (\d+)/.exec(out)![1]);
      const tree = processTree(process.pid);
      expect(tree[0]).toBe(process.pid);
      expect(tree).toContain(child.pid);
      expect(tree).toContain(grandchild);
      expect(processTree(child.pid!)).toEqual([child.pid, grandchild]);
      // The grandchild's 64 MB and 300 ms are in its ancestors' sums, not in the child's own figures.
      expect(rssMb(child.pid!)!).toBeGreaterThan(64);
      expect(cpuMs(child.pid!)!).toBeGreaterThanOrEqual(300);
      expect(cpuMs(child.pid!, child.pid!)!).toBeLessThan(cpuMs(child.pid!)! - 250);
    } finally {
      if (grandchild) process.kill(grandchild, 'SIGKILL');
      child.kill('SIGKILL');
    }
  });
});
