// Strings the world page, the dashboard and the administration page share (header, token form,
// operating states); each page's catalogue spreads them in, so they stay one entry each.
export const COMMON_EN = {
  language: 'Language',
  'nav.start': 'Start page',
  'nav.world': '3D world',
  'nav.dashboard': 'Dashboard',
  'nav.admin': 'Administration',
  'nav.docs': 'API docs',
  'auth.before': 'This server needs a bearer token (printed by',
  'auth.after': 'on first start).',
  'state.running': 'running',
  'state.idle': 'idle',
  'state.blocked': 'blocked',
  'state.starved': 'starved',
  'state.down': 'down',
  'state.maintenance': 'maintenance',
  'state.setup': 'setup',
  'state.offline': 'offline',
  'state.unknown': 'unknown',
} as const;

export const COMMON_ZH_CN: Readonly<Record<keyof typeof COMMON_EN, string>> = {
  language: '语言',
  'nav.start': '首页',
  'nav.world': '三维世界',
  'nav.dashboard': '看板',
  'nav.admin': '系统管理',
  'nav.docs': 'API 文档',
  'auth.before': '此服务器需要访问令牌（首次运行',
  'auth.after': '时会打印）。',
  'state.running': '运行',
  'state.idle': '空闲',
  'state.blocked': '堵塞',
  'state.starved': '缺料',
  'state.down': '故障停机',
  'state.maintenance': '维护',
  'state.setup': '换型调试',
  'state.offline': '离线',
  'state.unknown': '未知',
};

export type StateKey =
  `state.${'running' | 'idle' | 'blocked' | 'starved' | 'down' | 'maintenance' | 'setup' | 'offline' | 'unknown'}`;

/** A state's name in the page's language; a state the catalogue does not know reads as the plant sends it. */
export function stateName(t: (key: StateKey) => string, state: unknown): string {
  const text = String(state);
  return `state.${text}` in COMMON_EN ? t(`state.${text}` as StateKey) : text;
}
