import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { as, makeUser, testApp } from './support/api.js';
import { testServices } from './support/databases.js';

describe('the center name', () => {
  it('defaults to the National Cybersecurity Office', () => {
    expect(loadConfig({}).centerName).toEqual({
      ja: '国家サイバー統括室',
      en: 'National Cybersecurity Office',
    });
  });

  it('is configured per language and names the channels in the taxonomy and the rendered tables', async () => {
    const env = { KYOYU_CENTER_NAME_JA: ' 電力ISAC ', KYOYU_CENTER_NAME_EN: 'Electricity ISAC' };
    expect(loadConfig(env).centerName).toEqual({ ja: '電力ISAC', en: 'Electricity ISAC' });
    const ctx = await testServices('sqlite', env);
    const app = await testApp(ctx.services);
    try {
      const analyst = as(app, await makeUser(ctx.services, 'center_analyst', 'Center'));
      const taxonomy = (await analyst.get('/api/v1/taxonomy')).json<{
        channels: Array<{ ja: string; en: string }>;
      }>();
      expect(taxonomy.channels[2]).toMatchObject({
        ja: '電力ISACからの情報提供',
        en: 'Information provided by Electricity ISAC',
      });
      const html = await analyst.get('/api/v1/stats/info-sharing?fy=2023&format=html');
      expect(html.statusCode).toBe(200);
      expect(html.body).toContain('電力ISACからの情報提供');
      expect(html.body).not.toContain('NISC');
    } finally {
      await app.close();
      await ctx.close();
    }
  });

  it('refuses a name on several lines or too long', () => {
    expect(() => loadConfig({ KYOYU_CENTER_NAME_JA: 'a\nb' })).toThrow(ConfigError);
    expect(() => loadConfig({ KYOYU_CENTER_NAME_EN: 'x'.repeat(101) })).toThrow(ConfigError);
  });
});
