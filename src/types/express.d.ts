import type { TFunction } from 'i18next';
import type { Lang } from '../shared/i18n';
import type { SessionUser } from '../auth/roles';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: passport's Express.User becomes our SessionUser, and only an interface merges
    interface User extends SessionUser {}
    interface Request {
      lang: Lang;
      id: string | number | object;
      apiUser?: SessionUser;
    }
    /**
     * What the app's middleware puts on res.locals for every page (views read them too). Features
     * add their own keys untyped (res.locals stays a Record<string, any> besides these).
     */
    interface Locals {
      /** The request's translator (shared/i18n setLang). */
      t: TFunction;
      lang: Lang;
      /** The languages the language switcher offers. */
      langs: readonly Lang[];
      currentPath: string;
      /** The signed-in user, undefined on public pages and before the session is read. */
      user: User | undefined;
      /** The CSRF token for forms (shared/csrf). */
      csrfToken: string;
    }
  }
}

export {};
