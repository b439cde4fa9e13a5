import type { ApiError } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';

/** An error the agent answered, as the sentence it carries in the current language. */
export function ErrorNotice({ error }: { error: ApiError | null | undefined }) {
  const { pick } = useLocale();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{pick(error.messages)}</p>
      {error.fieldErrors && error.fieldErrors.length > 0 ? (
        <ul>
          {error.fieldErrors.map((f, i) => (
            <li key={`${f.path}-${i}`}>{pick(f.messages)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
