import { useTranslation } from 'react-i18next';
import type { AgentStatusView } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';

type Point = AgentStatusView['latency'][number];

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };
const DAY_MS = 24 * 3600 * 1000;

/** Rounds a maximum up to 1, 2 or 5 times a power of ten, so the axis reads cleanly. */
function niceCeiling(value: number): number {
  if (value <= 0) return 100;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

/** Splits the series where a probe had no answer, so a gap shows as a gap. */
function segments(points: readonly Point[]): Point[][] {
  const out: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (p.p50 === null) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * The spells with no answer (points without a median whose probes failed), oldest first. A point
 * with no probe at all (the agent was not running, or not installed yet) is a gap in the line but
 * not a spell without an answer: nobody asked, so it is not said as one.
 */
function silences(points: readonly Point[]): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let open: { from: number; to: number } | null = null;
  for (const p of points) {
    if (p.p50 !== null || p.failures === 0) open = null;
    else if (open) open.to = p.at;
    else out.push((open = { from: p.at, to: p.at }));
  }
  return out;
}

/** How many spells without an answer the caption names: the most recent ones. */
const SILENCES_SAID = 3;

/**
 * Median latency to the platform over the last 24 hours, as a small inline SVG
 * (no chart library). Failed probes are marked under the axis. The caption
 * says the same in sentences (the median, the highest, the failures, and when
 * the line has gaps), for screen readers and for anyone who reads rather than
 * looks, so the drawing itself is hidden from assistive technology.
 */
export function LatencyChart({ points, now }: { points: readonly Point[]; now: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const from = now - DAY_MS;
  const shown = points.filter((p) => p.at >= from && p.at <= now).sort((a, b) => a.at - b.at);
  const values = shown.map((p) => p.p50).filter((v): v is number => v !== null);
  const failures = shown.reduce((sum, p) => sum + p.failures, 0);
  const top = niceCeiling(Math.max(0, ...values));
  const x = (at: number) => PAD.left + ((at - from) / DAY_MS) * (WIDTH - PAD.left - PAD.right);
  const y = (ms: number) => PAD.top + (1 - ms / top) * (HEIGHT - PAD.top - PAD.bottom);
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
  const summary =
    median === null
      ? t('overview.latency.noData', { failures: locale.number(failures) })
      : t('overview.latency.summary', {
          median: locale.number(Math.round(median)),
          max: locale.number(Math.round(sorted[sorted.length - 1]!)),
          failures: locale.number(failures),
        });
  // The gaps in the line, said too: a reader learns when the platform did not answer, as a looker does.
  const gaps = silences(shown);
  const said = gaps.slice(-SILENCES_SAID).map((g) => (g.from === g.to ? locale.time(g.from) : t('overview.latency.span', { from: locale.time(g.from), to: locale.time(g.to) })));
  const gapText =
    gaps.length === 0
      ? ''
      : gaps.length > SILENCES_SAID
        ? t('overview.latency.gapsMore', { spans: said.join(', '), n: locale.number(gaps.length - SILENCES_SAID) })
        : t('overview.latency.gaps', { spans: said.join(', ') });

  return (
    <figure className="latency-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text className="axis" x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end">
              {locale.number(top * f)}
            </text>
          </g>
        ))}
        {[0, 6, 12, 18, 24].map((h) => {
          const at = from + h * 3600 * 1000;
          return (
            <text key={h} className="axis" x={x(at)} y={HEIGHT - 8} textAnchor={h === 0 ? 'start' : h === 24 ? 'end' : 'middle'}>
              {locale.time(at)}
            </text>
          );
        })}
        {segments(shown).map((seg) =>
          seg.length === 1 ? (
            <circle key={seg[0]!.at} className="line-dot" cx={x(seg[0]!.at)} cy={y(seg[0]!.p50!)} r={2.5} />
          ) : (
            <polyline key={seg[0]!.at} className="line" points={seg.map((p) => `${x(p.at).toFixed(1)},${y(p.p50!).toFixed(1)}`).join(' ')} />
          ),
        )}
        {shown
          .filter((p) => p.failures > 0)
          .map((p) => (
            <rect key={`f${p.at}`} className="failure" x={x(p.at) - 1.5} y={HEIGHT - PAD.bottom + 2} width={3} height={8} />
          ))}
      </svg>
      <figcaption>
        <span className="unit">{t('overview.latency.unit')}</span> {summary}
        {gapText ? ` ${gapText}` : null}
      </figcaption>
    </figure>
  );
}
