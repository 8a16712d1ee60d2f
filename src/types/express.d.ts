import type { Lang } from '../shared/i18n';
import type { SessionUser } from '../auth/roles';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
    interface Request {
      lang: Lang;
      id: string | number | object;
      apiUser?: SessionUser;
    }
  }
}

export {};
