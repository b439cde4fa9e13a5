import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput, ConflictView } from '../api/types.js';
import { useApi } from '../hooks/useApi.js';
import { useLocale } from '../hooks/useLocale.js';

interface Props {
  /** The conflicts a bulk action left open because a newer national version came after the person looked. */
  changed: CommandOutput<'conflicts.resolveMany'>['changed'];
  /** The open conflicts as just reloaded: they carry the new national values. */
  open: readonly ConflictView[];
  onOpen: (conflict: ConflictView) => void;
}

/** The most conflicts out of the list shown read one by one to name them; past it, the agent's words alone. */
const READ_AT_MOST = 50;

/**
 * After a bulk "take local / take national": how many were not settled because
 * the national side changed meanwhile, each one a button opening it with the
 * new values, to choose again knowingly. One the change moved out of the
 * filter (a national delete of an edited record, another field to decide) is
 * not in the list shown: it is read from the agent to be named and opened all
 * the same, with the agent's words saying it no longer matches the filter.
 */
export function NewerNationalNotice({ changed, open, onOpen }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const [elsewhere, setElsewhere] = useState<ReadonlyMap<string, ConflictView>>(new Map());
  const missing = changed
    .filter(({ id }) => !open.some((c) => c.id === id))
    .slice(0, READ_AT_MOST)
    .map(({ id }) => id)
    .join('\n');
  useEffect(() => {
    let current = true;
    void (async () => {
      const found = new Map<string, ConflictView>();
      for (const id of missing ? missing.split('\n') : []) {
        const answer = await api.call('conflicts.get', { id });
        if (answer.ok && answer.value?.status === 'open') found.set(id, answer.value);
      }
      if (current) setElsewhere(found);
    })();
    return () => {
      current = false;
    };
  }, [api, missing]);

  return (
    <>
      <p>{t('conflicts.bulk.changed', { n: locale.number(changed.length) })}</p>
      <ul className="newer-national">
        {changed.map(({ id, messages }) => {
          const shown = open.find((c) => c.id === id);
          const conflict = shown ?? elsewhere.get(id);
          return (
            <li key={id}>
              {conflict ? (
                <button type="button" className="link-button" onClick={() => onOpen(conflict)}>
                  {conflict.title ? <span translate="no">{conflict.title}</span> : t('conflicts.untitled')}
                </button>
              ) : null}
              {conflict && shown ? null : `${conflict ? ': ' : ''}${locale.pick(messages)}`}
            </li>
          );
        })}
      </ul>
    </>
  );
}
