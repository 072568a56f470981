import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { renderMail } from '../../../src/modules/notifications/notification.mail.js';

describe('notification mail configuration and text', () => {
  it('reads KYOYU_SMTP_URL, KYOYU_MAIL_FROM and KYOYU_PUBLIC_URL, refusing what is no SMTP or web URL', () => {
    const none = loadConfig({ PORT: '9090' });
    expect(none).toMatchObject({
      smtpUrl: undefined,
      mailFrom: 'kyoyu@localhost',
      publicUrl: 'http://127.0.0.1:9090',
    });
    const set = loadConfig({
      KYOYU_SMTP_URL: 'smtps://user:pw@mail.example:465',
      KYOYU_MAIL_FROM: 'noreply@kyoyu.example',
      KYOYU_PUBLIC_URL: 'https://kyoyu.example/',
    });
    expect(set).toMatchObject({
      smtpUrl: 'smtps://user:pw@mail.example:465',
      mailFrom: 'noreply@kyoyu.example',
      publicUrl: 'https://kyoyu.example',
    });
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).publicUrl).toBe('http://[::1]:8080');
    expect(() => loadConfig({ KYOYU_SMTP_URL: 'mail.example:25' })).toThrow(ConfigError);
    expect(() => loadConfig({ KYOYU_PUBLIC_URL: 'kyoyu.example' })).toThrow(ConfigError);
  });

  it('names the reference, the marking and the link in the recipient’s language, nothing else', () => {
    const facts = { kind: 'question', ref: 'KY-2026-0001234', tlp: 'RED', incidentId: 7 } as const;
    const ja = renderMail({ ...facts, language: 'ja' }, 'https://kyoyu.example');
    const en = renderMail({ ...facts, language: 'en' }, 'https://kyoyu.example');
    expect(ja.subject).toBe('[kyoyu] センターからの質問: KY-2026-0001234');
    expect(en.subject).toBe('[kyoyu] A question from the center: KY-2026-0001234');
    for (const mail of [ja, en]) {
      expect(mail.text).toContain('KY-2026-0001234 (TLP:RED)');
      expect(mail.text).toContain('https://kyoyu.example/incidents/7');
    }
    expect(en.text).not.toMatch(/[\u3040-\u30ff]/);
  });
});
