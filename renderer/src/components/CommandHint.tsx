import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A maintenance task that local IT runs from a command line (a restore needs
 * the service stopped): the button reveals what to run and what it does.
 */
export function CommandHint({ id, label, explain, command }: { id: string; label: string; explain: string; command: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panelId = `command-${id}`;
  return (
    <div className="command-hint">
      <button type="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        {label}
      </button>
      <div id={panelId} hidden={!open} className="command-panel">
        <p>{explain}</p>
        <p>
          {t('settings.maintenance.runThis')} <code translate="no">{command}</code>
        </p>
      </div>
    </div>
  );
}
