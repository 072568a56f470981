import { describe, expect, it } from 'vitest';
import { checkIndicator, findIndicators, stixPattern } from '../../src/domain/indicators.js';

const ok = (type: Parameters<typeof checkIndicator>[0], raw: string) => {
  const checked = checkIndicator(type, raw);
  return checked.ok ? checked.value : `refused: ${checked.reason}`;
};

describe('indicator checks and normal forms', () => {
  it('IPv4 addresses and ranges', () => {
    expect(ok('ipv4', ' 192.0.2.10 ')).toBe('192.0.2.10');
    expect(ok('ipv4', '198.51.100.0/24')).toBe('198.51.100.0/24');
    expect(ok('ipv4', '198.51.100.7/24')).toMatch(/host bits/);
    expect(ok('ipv4', '256.1.1.1')).toMatch(/refused/);
    expect(ok('ipv4', '01.2.3.4')).toMatch(/leading zeros/);
    expect(ok('ipv4', '1.2.3')).toMatch(/four numbers/);
  });
  it('IPv6 in the RFC 5952 form', () => {
    expect(ok('ipv6', '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(ok('ipv6', '2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(ok('ipv6', '::ffff:192.0.2.1')).toBe('::ffff:c000:201');
    expect(ok('ipv6', '2001:db8::/32')).toBe('2001:db8::/32');
    expect(ok('ipv6', '2001:db8::1/32')).toMatch(/host bits/);
    expect(ok('ipv6', '1::2::3')).toMatch(/refused/);
    expect(ok('ipv6', '1:2:3:4:5:6:7:8:9')).toMatch(/refused/);
  });
  it('domains, URLs, e-mail addresses', () => {
    expect(ok('domain', 'Evil.Example.JP.')).toBe('evil.example.jp');
    expect(ok('domain', '例え.jp')).toBe('xn--r8jz45g.jp');
    expect(ok('domain', 'localhost')).toMatch(/two labels/);
    expect(ok('domain', '-bad.example')).toMatch(/domain label/);
    expect(ok('url', 'HTTPS://Evil.Example.jp/a b')).toBe('https://evil.example.jp/a%20b');
    expect(ok('url', 'javascript:alert(1)')).toMatch(/http, https or ftp/);
    expect(ok('email', 'Phish@Example.COM')).toBe('Phish@example.com');
    expect(ok('email', 'a..b@example.com')).toMatch(/local part/);
  });
  it('hashes, CVE ids and techniques', () => {
    expect(ok('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(ok('sha256', 'abc')).toMatch(/64 hexadecimal/);
    expect(ok('cve', 'cve-2024-3400')).toBe('CVE-2024-3400');
    expect(ok('cve', 'CVE-2024-123')).toMatch(/refused/);
    expect(ok('attack_technique', 't1190')).toBe('T1190');
    expect(ok('attack_technique', 'T1566.001')).toBe('T1566.001');
  });
});

describe('STIX patterns', () => {
  it('quotes and escapes the value', () => {
    expect(stixPattern('ipv4', '192.0.2.1')).toBe("[ipv4-addr:value = '192.0.2.1']");
    expect(stixPattern('sha256', 'ab')).toBe("[file:hashes.'SHA-256' = 'ab']");
    expect(stixPattern('url', "http://x.example/it's\\")).toBe("[url:value = 'http://x.example/it\\'s\\\\']");
    expect(stixPattern('cve', 'CVE-2024-3400')).toBeNull();
  });
});

describe('indicators in free text', () => {
  it('finds each once, refanged, not the parts of a longer one, not file names', () => {
    const text =
      'VPN装置（CVE-2024-3400）経由で侵入。C2は hxxps://c2.evil-example[.]com/gate.php と 203.0.113.5、' +
      '送信元 phish@bad-example.net。report.pdf を参照。再度 203.0.113.5 を観測 (T1190)。' +
      'hash d41d8cd98f00b204e9800998ecf8427e';
    const found = findIndicators(text).map((f) => `${f.type}:${f.value}`);
    expect(found).toEqual([
      'cve:CVE-2024-3400',
      'url:https://c2.evil-example.com/gate.php',
      'ipv4:203.0.113.5',
      'email:phish@bad-example.net',
      'attack_technique:T1190',
      'md5:d41d8cd98f00b204e9800998ecf8427e',
    ]);
  });
  it('finds IPv6 addresses and bare domains', () => {
    const found = findIndicators('通信先 2001:db8::10 と update.example.org、時刻 10:30').map(
      (f) => `${f.type}:${f.value}`,
    );
    expect(found).toEqual(['ipv6:2001:db8::10', 'domain:update.example.org']);
  });
});
