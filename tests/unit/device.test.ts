import { describe, expect, it } from 'vitest';
import { coarseDevice } from '../../src/features/accounts/device.ts';

describe('coarseDevice', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36', 'Chrome on Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari on iPhone'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['Mozilla/5.0 (Linux; Android 13; V2118A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.47', 'WeChat on Android'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['curl/8.5.0', 'Script'],
  ])('%s → %s', (ua, expected) => {
    expect(coarseDevice(ua)).toBe(expected);
  });

  it('says little when it knows little', () => {
    expect(coarseDevice(undefined)).toBe('Unknown device');
    expect(coarseDevice('')).toBe('Unknown device');
    expect(coarseDevice('SomethingNew/1.0 (Linux)')).toBe('A browser on Linux');
  });

  // The earlier Safari pattern was quadratic on these (half a minute on the first).
  it('reads a long hostile user agent promptly and rightly', () => {
    expect(coarseDevice(`Version/${'1'.repeat(200_000)}`)).toBe('Unknown device');
    expect(coarseDevice('Version/1 '.repeat(20_000))).toBe('Unknown device');
    expect(coarseDevice(`${'Version/1 '.repeat(20_000)}Safari/1 (Linux)`)).toBe('Safari on Linux');
    expect(coarseDevice('Safari/1 Version/1')).toBe('Unknown device');
  });

  it('never echoes the user agent', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 build-7f3a9c unique-id-123';
    expect(coarseDevice(ua)).not.toMatch(/7f3a9c|unique|128/);
  });
});
