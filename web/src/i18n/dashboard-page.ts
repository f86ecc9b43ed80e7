// The dashboard's language, picked once when the page loads: every module of the page reads it here.
import { DASHBOARD_MESSAGES } from './dashboard.js';
import { localisePage } from './page.js';

export const { locale, t, format } = localisePage(DASHBOARD_MESSAGES);
