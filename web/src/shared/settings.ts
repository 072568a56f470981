/**
 * The deployment's settings, written into index.html by the server as <meta> tags (the strict CSP
 * allows no inline script, and a meta tag needs no extra request).
 */
function meta(name: string): string | undefined {
  const value = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  return value && !value.startsWith('__') ? value : undefined;
}

function validZone(zone: string | undefined): string {
  if (!zone) return 'Asia/Tokyo';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'Asia/Tokyo';
  }
}

const startMonth = Number(meta('kyoyu-fiscal-year-start-month'));

export const settings = {
  timeZone: validZone(meta('kyoyu-time-zone')),
  fiscalYearStartMonth: Number.isInteger(startMonth) && startMonth >= 1 && startMonth <= 12 ? startMonth : 4,
} as const;
