import type { ReactNode } from 'react';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Action, Role } from './shared/api/types';
import { useCan, useSession } from './features/auth/api/session';
import { PageHeading } from './shared/components/page-heading';
import { Refused } from './shared/components/refused';
import { currentLang, setLang } from './shared/i18n';
import { AccountPage } from './features/account/pages/account';
import { ForcedPasswordChangePage } from './features/account/pages/password-change';
import { ClassifyPage } from './features/classify/pages/classify';
import { DashboardPage } from './features/dashboard/pages/dashboard';
import { IncidentPage } from './features/incidents/pages/incident';
import { IncidentsPage } from './features/incidents/pages/incidents';
import { NotificationsLink } from './features/notifications/components/unread-badge';
import { NotificationsPage } from './features/notifications/pages/notifications';
import { NewReportPage, StageReportPage } from './features/report/pages/report';
import { SignInPage } from './features/auth/pages/sign-in';
import { StatisticsPage } from './features/statistics/pages/statistics';
import { setEraDisplay, useEraDisplay } from './shared/preferences';
import { settings } from './shared/settings';
import { Link, navigate, useLocation } from './shared/router';

// Pages only some roles open are loaded when first opened: the first screen loads less.
const AdvisoryRoutes = lazy(() =>
  import('./features/advisories/pages/routes').then((m) => ({ default: m.AdvisoryRoutes })),
);
const PublicationPage = lazy(() =>
  import('./features/publication/pages/publication').then((m) => ({ default: m.PublicationPage })),
);
const DeadlinesPage = lazy(() =>
  import('./features/obligations/pages/deadlines').then((m) => ({ default: m.DeadlinesPage })),
);
const IntelPage = lazy(() => import('./features/intel/pages/intel').then((m) => ({ default: m.IntelPage })));
const AdminPage = lazy(() => import('./features/admin/pages/users').then((m) => ({ default: m.AdminPage })));
const AdminUserPage = lazy(() =>
  import('./features/admin/pages/user').then((m) => ({ default: m.AdminUserPage })),
);
const AdminApprovalsPage = lazy(() =>
  import('./features/admin/pages/approvals').then((m) => ({ default: m.AdminApprovalsPage })),
);

export function App() {
  const { t } = useTranslation();
  const { loading, signedIn, session } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {loading ? (
          <p role="status">{t('common.loading')}</p>
        ) : !signedIn ? (
          <SignInPage />
        ) : session?.password_change_required ? (
          // A temporary password reaches nothing else on the server either.
          <ForcedPasswordChangePage />
        ) : (
          <Suspense fallback={<Loading />}>
            <Routes />
          </Suspense>
        )}
      </main>
      <footer>
        <p>{t('layout.timeZone', { zone: settings.timeZone })}</p>
      </footer>
    </>
  );
}

/**
 * Where sign-in lands: whoever reports for its own organisation only (an operator) comes to report
 * and follow its incidents; the center, the sector desks and admins first want the quarter at a
 * glance. Decided from the actions the server lists for the caller, not from role names.
 */
function homeOf(can: (action: Action) => boolean): string {
  if (!can('stats:read')) return can('incidents:read') ? '/incidents' : '/account';
  return can('incidents:write') && !can('incidents:any_organization') ? '/incidents' : '/dashboard';
}

/**
 * A page whose every call needs `action`: a caller without it is told so up front, before any
 * form or query (the pages with a form of their own, classify, report and admin, say why in their
 * own words; these read pages share one message).
 */
function Gated({ action, title, children }: { action: Action; title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  return can(action) ? children : <Refused title={title} message={t('access.unavailable')} />;
}

function Routes() {
  const { t } = useTranslation();
  const { path } = useLocation();
  const can = useCan();
  if (path === '/' || path === '/sign-in') return <Redirect to={homeOf(can)} />;
  if (path === '/statistics')
    return (
      <Gated action="stats:read" title={t('nav.statistics')}>
        <StatisticsPage />
      </Gated>
    );
  if (path === '/dashboard')
    return (
      <Gated action="stats:read" title={t('nav.dashboard', { ns: 'dashboard' })}>
        <DashboardPage />
      </Gated>
    );
  if (path === '/classify') return <ClassifyPage />;
  const incident = /^\/incidents\/(\d{1,10})$/.exec(path);
  if (path === '/incidents' || incident)
    return (
      <Gated action="incidents:read" title={t('nav.incidents')}>
        {incident ? <IncidentPage id={Number(incident[1])} /> : <IncidentsPage />}
      </Gated>
    );
  if (path === '/report') return <NewReportPage />;
  const stageReport = /^\/incidents\/(\d{1,10})\/report$/.exec(path);
  if (stageReport) return <StageReportPage id={Number(stageReport[1])} />;
  if (path === '/advisories' || path.startsWith('/advisories/'))
    return (
      <Gated action="advisories:read" title={t('advisories.nav')}>
        <AdvisoryRoutes path={path} />
      </Gated>
    );
  if (path === '/intel')
    return (
      <Gated action="intel:read" title={t('intel.title')}>
        <IntelPage />
      </Gated>
    );
  if (path === '/publication')
    return (
      <Gated action="publication:read" title={t('publication.title')}>
        <PublicationPage />
      </Gated>
    );
  if (path === '/deadlines')
    return (
      <Gated action="incidents:read" title={t('duties.deadlinesTitle')}>
        <DeadlinesPage />
      </Gated>
    );
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/account') return <AccountPage />;
  if (path === '/admin') return <AdminPage />;
  if (path === '/admin/approvals') return <AdminApprovalsPage />;
  const adminUser = /^\/admin\/users\/(\d{1,10})$/.exec(path);
  if (adminUser) return <AdminUserPage id={Number(adminUser[1])} />;
  return <NotFound />;
}

function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('common.loading')}</p>;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p>
        <Link href="/incidents">{t('nav.incidents')}</Link>
      </p>
    </>
  );
}

function Header() {
  const { t } = useTranslation();
  const { session, signedIn, signOut } = useSession();
  const can = useCan();
  const { path } = useLocation();
  const era = useEraDisplay();
  const other = currentLang() === 'ja' ? 'en' : 'ja';
  const current = (href: string) => (path === href || path.startsWith(`${href}/`) ? 'page' : undefined);
  return (
    <header className="site">
      <p className="brand">
        <Link href="/">{t('layout.brand')}</Link>
      </p>
      {signedIn && !session?.password_change_required && (
        <nav aria-label={t('nav.label')}>
          <ul>
            {can('stats:read') && (
              <li>
                <Link href="/dashboard" aria-current={current('/dashboard')}>
                  {t('nav.dashboard', { ns: 'dashboard' })}
                </Link>
              </li>
            )}
            {can('incidents:read') && (
              <li>
                <Link href="/incidents" aria-current={current('/incidents')}>
                  {t('nav.incidents')}
                </Link>
              </li>
            )}
            {can('incidents:read') && (
              <li>
                <Link href="/deadlines" aria-current={current('/deadlines')}>
                  {t('duties.deadlinesNav')}
                </Link>
              </li>
            )}
            {can('advisories:read') && (
              <li>
                <Link href="/advisories" aria-current={current('/advisories')}>
                  {t('advisories.nav')}
                </Link>
              </li>
            )}
            {can('stats:read') && (
              <li>
                <Link href="/statistics" aria-current={current('/statistics')}>
                  {t('nav.statistics')}
                </Link>
              </li>
            )}
            {can('publication:read') && (
              <li>
                <Link href="/publication" aria-current={current('/publication')}>
                  {t('publication.nav')}
                </Link>
              </li>
            )}
            {can('incidents:classify') && (
              <li>
                <Link href="/classify" aria-current={current('/classify')}>
                  {t('nav.classify', { ns: 'dashboard' })}
                </Link>
              </li>
            )}
            {can('incidents:write') && (
              <li>
                <Link href="/report" aria-current={current('/report')}>
                  {t('report.nav')}
                </Link>
              </li>
            )}
            {can('intel:read') && (
              <li>
                <Link href="/intel" aria-current={current('/intel')}>
                  {t('intel.nav')}
                </Link>
              </li>
            )}
            {can('admin:users') && (
              <li>
                <Link href="/admin" aria-current={current('/admin')}>
                  {t('admin.nav')}
                </Link>
              </li>
            )}
            {can('notifications:read') && (
              <li>
                <NotificationsLink current={current('/notifications')} />
              </li>
            )}
            <li>
              <Link href="/account" aria-current={current('/account')}>
                {t('account.nav')}
              </Link>
            </li>
          </ul>
        </nav>
      )}
      <div className="tools">
        {signedIn && session && (
          <p className="user" data-testid="current-user">
            <span className="visually-hidden">{t('layout.signedInAs')} </span>
            <strong>{session.user.organization}</strong>
            <span>{t(`roles.${session.user.role satisfies Role}`)}</span>
            <span className="hint">{session.user.email}</span>
          </p>
        )}
        <label className="toggle">
          <input type="checkbox" checked={era} onChange={(e) => setEraDisplay(e.target.checked)} />
          {t('layout.era')}
        </label>
        <button type="button" className="secondary" lang={other} onClick={() => setLang(other)}>
          {other === 'en' ? 'English' : '日本語'}
        </button>
        {session && (
          <button
            type="button"
            className="secondary"
            onClick={() => void signOut().finally(() => navigate('/', { replace: true }))}
          >
            {t('layout.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}
