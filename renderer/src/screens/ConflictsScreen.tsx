import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommandOutput, ConflictView } from '../api/types.js';
import { Badge } from '../components/Badge.js';
import { BulkTakeConfirm } from '../components/BulkTakeConfirm.js';
import { NewerNationalNotice } from '../components/NewerNationalNotice.js';
import { ConflictDetail } from '../components/ConflictDetail.js';
import { ConflictFilters } from '../components/ConflictFilters.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { RecordMarkBadge } from '../components/RecordMark.js';
import { RestoredBadge } from '../components/RestoredNotice.js';
import { SettledConflicts } from '../components/SettledConflicts.js';
import { SteadyButton } from '../components/SteadyButton.js';
import { useApi, useCommand } from '../hooks/useApi.js';
import { useEvent } from '../hooks/useEvent.js';
import { useLocale } from '../hooks/useLocale.js';
import { useStatus } from '../hooks/useStatus.js';
import { useTakeMatching, type BulkAnswer, type MatchingCount } from '../hooks/useTakeMatching.js';

const PAGE = 200;

/** A possible duplicate asks "same person?", which one bulk take cannot answer. */
const bulkable = (c: ConflictView) => c.kind !== 'possible-duplicate';

/**
 * Open conflicts, to settle one by one or many alike at once: filter to the
 * alike ones (same dataset, same kind), select them, take one side for all.
 * For a record that left this office's scope only the national side can be
 * kept: taking this office's side is unavailable when the selection holds only
 * such records, said beforehand when it holds some, and leaves them open.
 * The settled ones are shown on request, read only: who settled each, when,
 * and which choice.
 */
export function ConflictsScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const status = useStatus();
  const [limit, setLimit] = useState(PAGE);
  const [kind, setKind] = useState<ConflictView['kind'] | ''>('');
  const [dataset, setDataset] = useState('');
  /** Only the conflicts whose one conflicting field is this one: a take for them is a take of that field alone. */
  const [field, setField] = useState('');
  // The agent filters all the open conflicts, not the page loaded: the alike ones past the first page are found too.
  const conflicts = useCommand('conflicts.list', { status: 'open', offset: 0, limit, ...(dataset ? { dataset } : {}), ...(kind ? { kind } : {}), ...(field ? { field } : {}) });
  const datasets = useCommand('datasets.list', {});
  const [open, setOpen] = useState<ConflictView | null>(null);
  /** The open conflicts, to settle; or the settled ones, to read. */
  const [shownList, setShownList] = useState<'open' | 'settled'>('open');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulk, setBulk] = useState<BulkAnswer | null>(null);
  /**
   * Every open conflict the filter holds is chosen, not only the rows loaded: the agent counts them when a
   * take is pressed (`matchCount`, for the confirmation) and settles them a page at a time.
   */
  const [allMatching, setAllMatching] = useState(false);
  const [matchCount, setMatchCount] = useState<MatchingCount | null>(null);
  const [countFailure, setCountFailure] = useState<ApiError | null>(null);
  const matching = useTakeMatching();
  // Another filter is another set of conflicts: "all matching" was said of the one before.
  useEffect(() => {
    setAllMatching(false);
    setCountFailure(null);
  }, [dataset, kind, field]);
  const [taking, setTaking] = useState(false);
  /** The side a bulk take is about to keep: asked first, as no settled conflict can be reopened. */
  const [asking, setAsking] = useState<'local' | 'national' | null>(null);
  const [askFailure, setAskFailure] = useState<ApiError | null>(null);
  /** What the last single choice did, said as it is: a change going up, the national version kept, or the record off this computer. */
  const [resolvedNote, setResolvedNote] = useState<ResolvedKey | null>(null);
  /**
   * Where the keyboard focus goes back to once the detail closes: its row; once it is settled, the next
   * conflict's row (the one before it when it was the last), so a person settling a long list one by one
   * keeps their place in it; the heading when none is left.
   */
  const [returnTo, setReturnTo] = useState<{ row: string | null } | null>(null);

  useEffect(() => {
    if (open || returnTo === null) return;
    const row = returnTo.row === null ? null : document.getElementById(`conflict-title-${returnTo.row}`);
    (row ?? document.querySelector<HTMLElement>('main .screen-title'))?.focus();
    setReturnTo(null);
  }, [open, returnTo]);

  useEvent('conflicts.changed', conflicts.reload);
  const all = conflicts.result?.ok ? conflicts.result.value.items : [];

  // The selection holds open conflicts only: one settled (or gone) since leaves it once the refreshed list says so.
  useEffect(() => {
    if (!conflicts.result?.ok) return;
    const open = new Set(conflicts.result.value.items.map((c) => c.id));
    setSelected((prev) => ([...prev].every((id) => open.has(id)) ? prev : new Set([...prev].filter((id) => open.has(id)))));
  }, [conflicts.result]);
  /** The filter's open conflicts (all of them when none is set). */
  const total = conflicts.result?.ok ? conflicts.result.value.total : 0;
  const filtered = kind !== '' || dataset !== '' || field !== '';
  const listed = conflicts.answered;
  /**
   * The list shown answers a filter since changed, the new one still asked: its rows are not the
   * filter's, so they cannot be opened, selected or taken in bulk, and its counts are not said.
   */
  const stale = listed !== null && ((listed.dataset ?? '') !== dataset || (listed.kind ?? '') !== kind || (listed.field ?? '') !== field);
  const openCount = filtered ? (status.status?.openConflicts ?? total) : total;
  /** Nothing to settle: no filters and no bulk actions to press, only the sentence that says so. */
  const nothingOpen = !filtered && conflicts.result?.ok === true && total === 0;
  const datasetList = datasets.result?.ok ? datasets.result.value : [];
  const titleOf = (name: string) => locale.pick(datasetList.find((d) => d.name === name)?.title) || name;
  const shown = all;
  const chosen = shown.filter((c) => selected.has(c.id));
  const chosenAway = chosen.filter((c) => c.leftScope).length;
  const matchFilter = { ...(dataset ? { dataset } : {}), ...(kind ? { kind } : {}), ...(field ? { field } : {}) };
  /** Offered once a filter is set and it holds more than the rows loaded: a possible duplicate is never taken in bulk. */
  const offerAllMatching = filtered && kind !== 'possible-duplicate' && total > all.length && !stale;

  function toggle(id: string, on: boolean) {
    if (allMatching) {
      // Unticking one of "all matching" leaves the rows shown, less that one.
      setAllMatching(false);
      setSelected(new Set(shown.filter((c) => bulkable(c) && (on || c.id !== id)).map((c) => c.id)));
      return;
    }
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function askTakeAll(take: 'local' | 'national') {
    setAskFailure(null);
    setCountFailure(null);
    if (allMatching) {
      // The agent counts them now: the confirmation says how many, as they are.
      setMatchCount(null);
      const counted = await matching.count(matchFilter);
      if (!counted.ok) {
        setCountFailure(counted.error);
        return;
      }
      setMatchCount(counted.value);
      setAsking(take);
      return;
    }
    if (chosen.length === 0) return;
    setAsking(take);
  }

  async function takeMatching(take: 'local' | 'national', counted: MatchingCount) {
    setTaking(true);
    const { answer, error } = await matching.take(matchFilter, take, counted.through);
    setTaking(false);
    // What the pages before a refused one did is said all the same; the dialog stays open with the refusal, to try again.
    if (answer.resolved > 0 || error === null) setBulk(answer);
    if (error) {
      setAskFailure(error);
      conflicts.reload();
      return;
    }
    setAsking(null);
    setAllMatching(false);
    setSelected(new Set(leftOpenIds(answer)));
    conflicts.reload();
    status.reload();
  }

  async function takeAll(take: 'local' | 'national') {
    if (allMatching) {
      if (matchCount) await takeMatching(take, matchCount);
      return;
    }
    const ids = chosen.map((c) => c.id);
    if (ids.length === 0) return;
    // The versions shown: a conflict a newer national version refreshed since is left open, not settled on data unseen.
    const versions = Object.fromEntries(chosen.map((c) => [c.id, c.version]));
    setTaking(true);
    const answer = await api.call('conflicts.resolveMany', { ids, take, versions });
    setTaking(false);
    if (!answer.ok) {
      // Said in the dialog, which stays open: the person tries again or goes back.
      setAskFailure(answer.error);
      return;
    }
    setAsking(null);
    setBulk(answer.value);
    // Those left open stay selected, to retry with one click; the settled ones leave the selection.
    setSelected(new Set(leftOpenIds(answer.value)));
    conflicts.reload();
    status.reload();
  }

  if (open) {
    return (
      <>
        <h1 className="screen-title" tabIndex={-1}>
          {t('conflicts.title')}
        </h1>
        <ConflictDetail
          key={open.id}
          conflict={open}
          dataset={datasetList.find((d) => d.name === open.dataset)}
          onClose={() => {
            setOpen(null);
            setReturnTo({ row: open.id });
          }}
          onResolved={(outcome) => {
            setOpen(null);
            setReturnTo({ row: neighbourOf(shown, open.id) });
            setResolvedNote(resolvedKey(outcome, open.leftScope));
            conflicts.reload();
            status.reload();
          }}
        />
      </>
    );
  }

  const listSwitch = (
    <div className="toolbar list-switch" role="group" aria-label={t('conflicts.list.label')}>
      {(['open', 'settled'] as const).map((which) => (
        <button key={which} type="button" aria-pressed={shownList === which} onClick={() => setShownList(which)}>
          {t(`conflicts.list.${which}`)}
        </button>
      ))}
    </div>
  );

  if (shownList === 'settled') {
    return (
      <>
        <h1 className="screen-title" tabIndex={-1}>
          {t('conflicts.title')}
        </h1>
        {listSwitch}
        <SettledConflicts titleOf={titleOf} />
      </>
    );
  }

  return (
    <>
      <h1 className="screen-title" tabIndex={-1}>
        {t('conflicts.title')}
      </h1>
      {listSwitch}
      {nothingOpen ? null : <p className="muted">{t('conflicts.intro', { n: locale.number(openCount), count: openCount })}</p>}
      {conflicts.result && !conflicts.result.ok ? <ErrorNotice error={conflicts.result.error} /> : null}
      {resolvedNote ? (
        <p className="notice notice-ok" role="status">
          {t(resolvedNote)}
        </p>
      ) : null}
      {bulk ? (
        <div className={`notice ${leftOpen(bulk) ? 'notice-error' : 'notice-ok'}`} role="status">
          <p>{t('conflicts.bulk.result', { resolved: locale.number(bulk.resolved), failed: locale.number(leftOpen(bulk)) })}</p>
          {bulk.gone ? <p>{t('conflicts.bulk.gone', { n: locale.number(bulk.gone) })}</p> : null}
          {bulk.outOfScope.length ? <p className="bulk-out-of-scope">{t('conflicts.bulk.outOfScope', { n: locale.number(bulk.outOfScope.length) })}</p> : null}
          {bulk.newSince ? <p className="bulk-new-since">{t('conflicts.bulk.newSince', { n: locale.number(bulk.newSince), count: bulk.newSince })}</p> : null}
          {bulk.busy[0] ? (
            <div className="bulk-busy">
              <p>{t('conflicts.bulk.busy', { n: locale.number(bulk.busy.length + (bulk.notTried ?? 0)) })}</p>
              <p>{locale.pick(bulk.busy[0].messages)}</p>
            </div>
          ) : null}
          {bulk.changed.length ? <NewerNationalNotice changed={bulk.changed} open={all} onOpen={setOpen} /> : null}
          {bulk.failed.length ? (
            <ul>
              {bulk.failed.map((f) => (
                <li key={f.id}>{locale.pick(f.messages)}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {nothingOpen ? null : (
        <>
          <ConflictFilters
            datasets={datasetList}
            dataset={dataset}
            kind={kind}
            field={field}
            onDataset={(name) => {
              setDataset(name);
              // The fields are the dataset's: another dataset has others.
              setField('');
            }}
            onKind={setKind}
            onField={setField}
          />
          <div className="toolbar bulk-bar" role="group" aria-label={t('conflicts.bulk.label')}>
            <button
              type="button"
              disabled={stale}
              onClick={() => {
                setAllMatching(false);
                setSelected(new Set(shown.filter(bulkable).map((c) => c.id)));
              }}
            >
              {t('conflicts.bulk.selectShown')}
            </button>
            {offerAllMatching ? (
              <button type="button" aria-pressed={allMatching} onClick={() => setAllMatching(true)}>
                {t('conflicts.bulk.selectMatching', { n: locale.number(total), count: total })}
              </button>
            ) : null}
            <SteadyButton
              type="button"
              onClick={() => {
                setAllMatching(false);
                setSelected(new Set());
              }}
              unavailable={chosen.length === 0 && !allMatching}
            >
              {t('conflicts.bulk.clear')}
            </SteadyButton>
            <span aria-live="polite">
              {allMatching
                ? t('conflicts.bulk.selectedMatching', { n: locale.number(total), count: total })
                : t('conflicts.bulk.selected', { n: locale.number(chosen.length) })}
            </span>
            <SteadyButton
              type="button"
              aria-haspopup="dialog"
              onClick={() => void askTakeAll('local')}
              unavailable={taking || stale || (!allMatching && (chosen.length === 0 || chosenAway === chosen.length))}
              aria-describedby={chosenAway > 0 ? 'conflicts-chosen-away' : undefined}
            >
              {t('conflicts.bulk.takeLocal')}
            </SteadyButton>
            <SteadyButton type="button" aria-haspopup="dialog" onClick={() => void askTakeAll('national')} unavailable={taking || stale || (!allMatching && chosen.length === 0)}>
              {t('conflicts.bulk.takeNational')}
            </SteadyButton>
          </div>
        </>
      )}
      <ErrorNotice error={countFailure} />
      {asking && (!allMatching || matchCount) ? (
        <BulkTakeConfirm
          take={asking}
          count={allMatching && matchCount ? matchCount.bulkable : chosen.length}
          away={allMatching && matchCount ? matchCount.leftScope : chosenAway}
          duplicates={allMatching && matchCount ? matchCount.duplicates : 0}
          progress={matching.done}
          busy={taking}
          error={askFailure}
          onConfirm={() => void takeAll(asking)}
          onCancel={() => setAsking(null)}
        />
      ) : null}
      {chosenAway > 0 ? (
        <p className="muted" id="conflicts-chosen-away">
          {t('conflicts.bulk.outOfScopeChosen', { n: locale.number(chosenAway) })}
        </p>
      ) : null}

      {filtered && conflicts.result?.ok ? (
        <p className="muted" role="status">
          {stale ? t('conflicts.filter.asking') : t('conflicts.filter.matching', { n: locale.number(total), count: total })}
        </p>
      ) : null}
      {shown.length === 0 && conflicts.result?.ok && !stale ? <p>{t(filtered ? 'conflicts.filter.none' : 'conflicts.none')}</p> : null}
      {shown.length > 0 ? (
        <div className="table-wrap" inert={stale}>
          <table className="data-table conflicts-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden" id="conflict-select-label">
                    {t('conflicts.column.select')}
                  </span>
                </th>
                <th scope="col">{t('conflicts.column.record')}</th>
                <th scope="col">{t('conflicts.column.dataset')}</th>
                <th scope="col">{t('conflicts.column.kind')}</th>
                <th scope="col">{t('conflicts.column.fields')}</th>
                <th scope="col">{t('conflicts.column.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id}>
                  <td>
                    {bulkable(c) ? (
                      <input
                        type="checkbox"
                        aria-labelledby={`conflict-select-label conflict-title-${c.id}`}
                        checked={allMatching || selected.has(c.id)}
                        onChange={(e) => toggle(c.id, e.target.checked)}
                      />
                    ) : null}
                  </td>
                  <td>
                    <button type="button" className="link-button" id={`conflict-title-${c.id}`} onClick={() => setOpen(c)}>
                      {c.title ? <span translate="no">{c.title}</span> : t('conflicts.untitled')}
                    </button>
                  </td>
                  <td>{titleOf(c.dataset)}</td>
                  <td>
                    <Badge tone={c.kind === 'delete-vs-edit' || c.kind === 'possible-duplicate' ? 'danger' : 'warn'}>{t(`conflicts.kind.${c.kind}`)}</Badge>
                    {c.leftScope ? <RecordMarkBadge mark="leftScope" /> : null}
                    <RestoredBadge restored={c.restored} />
                  </td>
                  <td>{c.fields.map((f) => locale.pick(f.title)).join(', ')}</td>
                  <td>{locale.dateTime(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {total > PAGE && !stale ? (
        // Stays once everything is shown (unavailable), so the focus stays on it after the last page; the count is said on each page.
        <div className="toolbar">
          <p className="muted" aria-live="polite">
            {t('conflicts.shownOf', { shown: locale.number(all.length), n: locale.number(total) })}
          </p>
          <SteadyButton type="button" onClick={() => setLimit((n) => Math.min(n + PAGE, 1000))} unavailable={limit >= 1000 || all.length >= total}>
            {t('common.loadMore')}
          </SteadyButton>
        </div>
      ) : null}
    </>
  );
}

/** The conflict after ID in the list shown, or the one before it when it is the last; null when it is alone or not shown. */
function neighbourOf(shown: readonly ConflictView[], id: string): string | null {
  const at = shown.findIndex((c) => c.id === id);
  if (at < 0) return null;
  return (shown[at + 1] ?? shown[at - 1])?.id ?? null;
}

type ResolvedKey = 'conflicts.resolved' | 'conflicts.resolvedKept' | 'conflicts.resolvedGone' | 'conflicts.resolvedLeftScope';

/** The sentence for a settled conflict: this office's change goes up, the record keeps the national version, or it left this computer. */
function resolvedKey(outcome: CommandOutput<'conflicts.resolve'>, leftScope: boolean): ResolvedKey {
  if (outcome.recordState === null) return leftScope ? 'conflicts.resolvedLeftScope' : 'conflicts.resolvedGone';
  return outcome.sent ? 'conflicts.resolved' : 'conflicts.resolvedKept';
}

/** The conflicts of a bulk take left open, for whatever reason (each reason is said below the count); those not tried after a busy one too. */
function leftOpen(bulk: BulkAnswer): number {
  return leftOpenIds(bulk).length + (bulk.notTried ?? 0);
}

function leftOpenIds(bulk: BulkAnswer): string[] {
  return [...bulk.failed, ...bulk.changed, ...bulk.outOfScope, ...bulk.busy].map((c) => c.id);
}
