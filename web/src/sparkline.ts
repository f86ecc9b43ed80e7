// A sparkline of one field's recent values on a 2D canvas: no chart library on the first load.
import { format, t } from './i18n/world-page.js';

export interface Sample {
  readonly time: number;
  readonly value: number;
}

export function drawSparkline(canvas: HTMLCanvasElement, samples: readonly Sample[]): void {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(canvas.clientWidth, 10);
  const height = Math.max(canvas.clientHeight, 10);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  if (samples.length < 2) {
    g.fillStyle = '#8ea1b3';
    g.font = '11px system-ui, sans-serif';
    g.fillText(t(samples.length ? 'chart.waiting' : 'chart.empty'), 6, height / 2 + 4);
    return;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    min = Math.min(min, s.value);
    max = Math.max(max, s.value);
  }
  const span = max - min || 1;
  const t0 = samples[0]!.time;
  const tSpan = samples[samples.length - 1]!.time - t0 || 1;
  const pad = 4;
  g.strokeStyle = '#4fb3ff';
  g.lineWidth = 1.5;
  g.beginPath();
  samples.forEach((s, i) => {
    const x = pad + ((s.time - t0) / tSpan) * (width - 2 * pad);
    const y = height - pad - ((s.value - min) / span) * (height - 2 * pad);
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
  g.fillStyle = '#8ea1b3';
  g.font = '10px system-ui, sans-serif';
  g.fillText(format.number(max, 2), 4, 11);
  g.fillText(format.number(min, 2), 4, height - 3);
}
