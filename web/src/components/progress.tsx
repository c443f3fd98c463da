/**
 * A progress bar with a text label. Without `value` it is indeterminate (work is under way, its size
 * unknown): it then animates, except for people who ask for reduced motion (see styles.css).
 */
export function ProgressBar({ label, value, max = 1, valueText }: { label: string; value?: number; max?: number; valueText?: string }) {
  const fraction = value === undefined || max <= 0 ? undefined : Math.min(1, Math.max(0, value / max));
  const percent = fraction === undefined ? undefined : Math.round(fraction * 100);
  return (
    <div class="progress">
      <div
        class={fraction === undefined ? 'progress__track progress__track--indeterminate' : 'progress__track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={fraction === undefined ? undefined : 0}
        aria-valuemax={fraction === undefined ? undefined : 100}
        aria-valuenow={percent}
        aria-valuetext={valueText}
      >
        <div class="progress__fill" style={percent === undefined ? undefined : { width: `${percent}%` }} />
      </div>
      <p class="progress__label" aria-hidden="true">
        {valueText ?? label}
      </p>
    </div>
  );
}
