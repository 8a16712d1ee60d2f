import { registerLocales } from '../../src/locales';

registerLocales();
