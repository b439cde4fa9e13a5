import type { ApiError } from '../api/types.js';
import { useFieldText } from '../hooks/useFieldText.js';
import { useLocale } from '../hooks/useLocale.js';
import { fieldOfPointer, type FieldSpec } from '../model/schema-form.js';

/**
 * An error the agent answered, as the sentence it carries in the current
 * language; its field errors as the window says them (useFieldText: dates
 * day/month/year), with the fields' descriptions when the screen has them.
 */
export function ErrorNotice({ error, specs }: { error: ApiError | null | undefined; specs?: readonly FieldSpec[] }) {
  const { pick } = useLocale();
  const fieldText = useFieldText();
  if (!error) return null;
  const specOf = (path: string) => specs?.find((s) => s.name === fieldOfPointer(path));
  return (
    <div className="notice notice-error" role="alert">
      <p>{pick(error.messages)}</p>
      {error.fieldErrors && error.fieldErrors.length > 0 ? (
        <ul>
          {error.fieldErrors.map((f, i) => (
            <li key={`${f.path}-${i}`}>{fieldText.message(f, specOf(f.path))}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
