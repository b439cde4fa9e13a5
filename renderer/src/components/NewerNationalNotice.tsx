import { useTranslation } from 'react-i18next';
import type { CommandOutput, ConflictView } from '../api/types.js';
import { useLocale } from '../hooks/useLocale.js';

interface Props {
  /** The conflicts a bulk action left open because a newer national version came after the person looked. */
  changed: CommandOutput<'conflicts.resolveMany'>['changed'];
  /** The open conflicts as just reloaded: they carry the new national values. */
  open: readonly ConflictView[];
  onOpen: (conflict: ConflictView) => void;
}

/**
 * After a bulk "take local / take national": how many were not settled because
 * the national side changed meanwhile, each one a button opening it with the
 * new values, to choose again knowingly.
 */
export function NewerNationalNotice({ changed, open, onOpen }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <p>{t('conflicts.bulk.changed', { n: locale.number(changed.length) })}</p>
      <ul className="newer-national">
        {changed.map(({ id, messages }) => {
          const conflict = open.find((c) => c.id === id);
          return (
            <li key={id}>
              {conflict ? (
                <button type="button" className="link-button" onClick={() => onOpen(conflict)}>
                  {conflict.title ? <span translate="no">{conflict.title}</span> : t('conflicts.untitled')}
                </button>
              ) : (
                locale.pick(messages)
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
