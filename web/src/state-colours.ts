// Operating states and their colours, without three.js: the dashboard and the DOM helpers use them
// too, and should not pull the 3D engine into their bundle.
export const STATE_COLOURS: Readonly<Record<string, string>> = {
  running: '#3ecf8e',
  idle: '#9aa7b4',
  blocked: '#f5a524',
  starved: '#5b8cff',
  down: '#f25555',
  maintenance: '#b07cff',
  setup: '#2fd0e0',
  offline: '#39424d',
};
