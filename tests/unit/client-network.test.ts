// The network a client address stands for (src/lib/client-network.ts): what the anonymous ballots'
// limit and the live streams' limits count.
import { describe, expect, it } from 'vitest';
import { networkOf } from '../../src/lib/client-network.ts';

describe('networkOf', () => {
  it('counts an IPv4 address as itself, also written as IPv6', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, which one subscriber may roam freely', () => {
    const net = '2001:db8:aa:1::/64';
    for (const address of ['2001:db8:aa:1::1', '2001:db8:aa:1:ffff:ffff:ffff:ffff', '2001:0db8:00aa:0001:1234:5678:9abc:def0', '2001:DB8:AA:1::abcd%eth0']) {
      expect(networkOf(address), address).toBe(net);
    }
    expect(networkOf('2001:db8:aa:2::1')).toBe('2001:db8:aa:2::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('leaves what is not an address as it is', () => {
    for (const value of ['unknown', '', 'localhost', '1.2.3', ':::1']) expect(networkOf(value)).toBe(value);
  });
});
