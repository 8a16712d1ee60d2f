import path from 'node:path';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import mongoose from 'mongoose';
import type { MongoClient } from 'mongodb';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import type { Config } from './config';
import { accountRoutes } from './auth/account.routes';
import { adminRoutes } from './auth/admin.routes';
import { authRoutes } from './auth/auth.routes';
import { bearerAuth, requireLogin } from './auth/auth.middleware';
import { configurePassport } from './auth/passport';
import { useLinkRefSecret } from './invitations/link-ref';
import { assessmentApi } from './assessments/api/assessment.api';
import { invitationApi } from './invitations/invitation.api';
import { resultsApi } from './results/results.api';
import { analyticsApi } from './analytics/analytics.api';
import { resultsRoutes } from './results/results.routes';
import { analyticsRoutes } from './analytics/analytics.routes';
import { matrixApi } from './results/matrix.api';
import { exportApi } from './exports/export.api';
import { exportRoutes } from './exports/export.routes';
import { reviewApi } from './review/api/review.api';
import { reviewPages, reviewStamp } from './review/pages';
import { surveyApi } from './surveys/survey.api';
import { surveyRoutes } from './surveys/survey.routes';
import { groupRoutes } from './assessments/pages/group.routes';
import { topicRoutes } from './assessments/pages/topic.routes';
import { overviewRoutes } from './overview/overview.routes';
import { invitationRoutes } from './invitations/invitation.routes';
import { previewRoutes } from './surveys/preview.routes';
import { mailApi } from './mail/mail.api';
import { optOutRoutes } from './mail/opt-out.routes';
import { mailRoutes } from './mail/mail.routes';
import { invitationsPanel } from './mail/invitations-panel';
import { databaseAnswers } from './db/database';
import { IdOnlyMongoStore } from './db/session-store';
import { browserId, csrfProtection } from './shared/csrf';
import { parseMultipart } from './shared/multipart';
import { errorHandler, notFoundHandler } from './shared/error-handler';
import { i18nMiddleware, LANGS } from './shared/i18n';
import type { Logger } from './shared/logger';
import { PROJECT_ROOT } from './shared/paths';
import { registerLocales } from './locales';

const ROOT = PROJECT_ROOT;

export interface AppDeps {
  config: Config;
  logger: Logger;
}

/** Builds the Express app: middleware, routers, 404 and errors. It neither listens nor connects. */
export function createApp({ config, logger }: AppDeps): Express {
  registerLocales();
  useLinkRefSecret(config.linkRefSecret);
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  app.disable('x-powered-by');

  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // One short line per request: no headers (cookies, tokens) and no query strings (link tokens
      // live in paths, and are cut from survey URLs).
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use(compression());
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '7d', index: false }));

  app.get('/healthz', async (_req, res) => {
    const ok = await databaseAnswers(config.healthTimeoutMs);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable' });
  });

  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(cookieParser());
  app.use(i18nMiddleware);
  app.use((_req, res, next) => {
    res.locals.langs = LANGS;
    res.locals.user = undefined;
    res.locals.currentPath = _req.path;
    next();
  });

  app.use('/api/v1', apiRouter(config));

  app.use(browserId);
  app.use(parseMultipart); // uploads carry their CSRF token in the body: read it first
  app.use(...csrfProtection(config));
  const passport = configurePassport();
  app.use(
    session({
      name: 'dma.sid',
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      store: new IdOnlyMongoStore({
        clientPromise: sessionClient(),
        collectionName: 'sessions',
        autoRemove: 'disabled',
        ttl: 8 * 3600,
        stringify: false,
      }),
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: 8 * 3600 * 1000,
      },
    }),
  );
  app.use(passport.session());
  app.use((req, res, next) => {
    res.locals.user = req.user;
    next();
  });

  app.use(surveyRoutes(config)); // public: respondents have no account
  app.use(optOutRoutes()); // public: the invitee's opt-out from e-mail
  app.use(authRoutes(config));
  app.use(requireLogin);
  app.use('/assessments/:id', reviewStamp());
  app.use(reviewPages());
  app.use(overviewRoutes());
  app.use(topicRoutes());
  app.use(groupRoutes());
  app.use(mailRoutes(config));
  app.use(invitationRoutes(config, invitationsPanel(config)));
  app.use(previewRoutes());
  app.use(resultsRoutes(config));
  app.use(analyticsRoutes());
  app.use(exportRoutes(config));
  app.use(accountRoutes());
  app.use('/admin', adminRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/** Survey links are credentials: logs keep only their first characters. */
function redactUrl(url: string): string {
  const [pathOnly = ''] = url.split('?');
  return pathOnly.replace(/\/(s|survey)\/([A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/, '/$1/$2…');
}

/**
 * The session store uses mongoose's own connection and database (connect-mongo would otherwise pick
 * the client's default database). It resolves once connected, so createApp() does not depend on order.
 */
function sessionClient(): Promise<MongoClient> {
  const ready =
    mongoose.connection.readyState === mongoose.ConnectionStates.connected
      ? Promise.resolve()
      : new Promise((r) => mongoose.connection.once('connected', r));
  return ready.then(
    () =>
      ({
        db: () => mongoose.connection.db,
        close: () => Promise.resolve(),
      }) as unknown as MongoClient,
  );
}

function apiRouter(config: Config) {
  const api = express.Router();
  api.use(surveyApi(config)); // respondents: the link token is the credential
  api.use(bearerAuth);
  api.use(assessmentApi());
  api.use(invitationApi(config));
  api.use(mailApi(config));
  api.use(resultsApi());
  api.use(analyticsApi());
  api.use(matrixApi(config));
  api.use(exportApi(config));
  api.use(reviewApi());
  api.get('/me', (req, res) => res.json({ user: req.user }));
  api.use(notFoundHandler);
  return api;
}
