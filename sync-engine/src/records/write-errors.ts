import type { LocalizedText } from '../protocol/catalog.js';
import type { RecordError } from '../protocol/push.js';

/**
 * Why a local write was refused, as a typed error the UI turns into a sentence
 * (vi first, en available). Nothing is written when one is thrown.
 */
export type WriteRefusalCode =
  | 'unknown_dataset'
  | 'read_only'
  | 'not_enrolled'
  | 'not_found'
  | 'conflict_open'
  | 'left_scope'
  | 'not_on_platform'
  | 'conflict_settled'
  | 'conflict_changed'
  | 'in_flight'
  | 'not_held'
  | 'pending_after'
  | 'invalid_id'
  | 'invalid';

type PlainRefusalCode = Exclude<WriteRefusalCode, 'invalid' | 'read_only' | 'not_held' | 'unknown_dataset'>;

const MESSAGES: Record<PlainRefusalCode, (arg: string) => { vi: string; en: string }> = {
  not_enrolled: () => ({
    vi: 'Tác tử chưa được đăng ký với nền tảng quốc gia nên chưa biết phạm vi dữ liệu của đơn vị.',
    en: "The agent is not enrolled with the national platform, so the office's data scope is unknown.",
  }),
  not_found: (id) => ({ vi: `Không tìm thấy bản ghi ${id}.`, en: `Record ${id} was not found.` }),
  conflict_open: (id) => ({
    vi: `Bản ghi ${id} đang có xung đột chưa giải quyết. Hãy giải quyết xung đột trước khi sửa tiếp.`,
    en: `Record ${id} has an open conflict. Settle the conflict before editing it again.`,
  }),
  left_scope: (id) => ({
    vi: `Bản ghi ${id} không còn thuộc phạm vi của đơn vị này (ở cấp quốc gia, bản ghi đã được chuyển sang nơi khác), nên nền tảng quốc gia không nhận thay đổi nào của đơn vị này với bản ghi. Chưa có gì thay đổi. Máy này chỉ còn giữ bản ghi vì thay đổi đang chờ của đơn vị này: hãy xử lý thay đổi đó (ở xung đột của bản ghi: giữ bản quốc gia; ở hàng đợi gửi, khi nền tảng quốc gia đã giữ lại thay đổi: bỏ thay đổi), rồi bản ghi sẽ không còn trên máy này.`,
    en: `Record ${id} is no longer in this office's scope (it was moved elsewhere on the national platform), so the national platform accepts no change of it from this office. Nothing was changed. This computer keeps the record only for this office's pending change: settle that change (in the record's conflict: keep the national version; in the outbox, once the national platform has held the change back: discard it), and the record then leaves this computer.`,
  }),
  not_on_platform: (id) => ({
    vi: `Nền tảng quốc gia không còn giữ bản ghi ${id}, nên không nhận thay đổi nào của đơn vị này với bản ghi. Chưa có gì thay đổi; thay đổi bị giữ lại của bản ghi vẫn như cũ. Hãy bỏ thay đổi đó ở hàng đợi gửi, rồi bản ghi sẽ không còn trên máy này; nếu vẫn cần bản ghi, hãy nhập lại thành bản ghi mới.`,
    en: `The national platform no longer holds record ${id}, so it accepts no change of it from this office. Nothing was changed; the record's held-back change stays as it was. Discard that change in the outbox, and the record then leaves this computer; if the record is still needed, enter it again as a new record.`,
  }),
  conflict_settled: (by) => ({
    vi: `${by ? `Xung đột này đã được ${by} giải quyết` : 'Xung đột này đã tự giải quyết khi đồng bộ,'} trước khi bạn chọn, nên lựa chọn của bạn không được áp dụng. Hãy xem lại bản ghi.`,
    en: `This conflict was already settled${by ? ` by ${by}` : ' by itself at a sync'} before your choice, so your choice was not applied. Check the record again.`,
  }),
  conflict_changed: () => ({
    vi: 'Bản quốc gia của bản ghi này vừa thay đổi trong lúc bạn đang xem, nên lựa chọn của bạn chưa được áp dụng. Hãy xem nội dung mới rồi chọn lại.',
    en: 'The national version of this record changed while you were looking at it, so your choice was not applied. Look at the new content, then choose again.',
  }),
  in_flight: (id) => ({
    vi: `Thay đổi của bản ghi ${id} đang được gửi lên nền tảng. Hãy thử lại sau lần đồng bộ tới.`,
    en: `A change to record ${id} is being sent to the platform. Try again after the next sync.`,
  }),
  pending_after: (id) => ({
    vi: `Bản ghi ${id} còn một thay đổi mới hơn đang chờ gửi lên nền tảng quốc gia. Hãy đồng bộ rồi thử lại: nếu thay đổi đó được nhận, thay đổi bị giữ lại này có thể bỏ mà không mất gì thêm.`,
    en: `Record ${id} has a newer change waiting to go up to the national platform. Sync, then try again: once that change is accepted, this held-back one can be discarded without losing anything more.`,
  }),
  invalid_id: (id) => ({
    vi: `Mã bản ghi "${id}" không hợp lệ (cần UUID viết thường).`,
    en: `The record id "${id}" is not valid (a lower-case UUID is needed).`,
  }),
};

export class LocalWriteRefused extends Error {
  readonly kind = 'write_refused' as const;
  constructor(
    readonly code: WriteRefusalCode,
    readonly messages: { vi: string; en: string },
    readonly errors: readonly RecordError[] = [],
  ) {
    super(messages.en);
    this.name = 'LocalWriteRefused';
  }

  static of(code: PlainRefusalCode, subject: string): LocalWriteRefused {
    return new LocalWriteRefused(code, MESSAGES[code](subject));
  }

  /**
   * Why the outbox entry `seq` cannot be discarded: only a change the platform
   * held back (quarantined) may be, one still to be sent is refused by no one
   * yet. `status` is the entry's status, or null when there is no entry under
   * `seq` (sent, retried or discarded meanwhile).
   */
  static cannotDiscard(seq: number, status: 'queued' | 'in_flight' | null): LocalWriteRefused {
    if (status === null) {
      return new LocalWriteRefused('not_found', {
        vi: `Không có thay đổi số ${seq} trong hàng đợi gửi: có thể nó đã được gửi, được xếp gửi lại hoặc đã bị bỏ.`,
        en: `There is no change #${seq} in the outbox: it may have been sent, queued again or discarded.`,
      });
    }
    const now = status === 'queued' ? { vi: 'đang chờ gửi lên', en: 'is waiting to go up' } : { vi: 'đang được gửi lên', en: 'is being sent' };
    return new LocalWriteRefused('not_held', {
      vi: `Thay đổi số ${seq} ${now.vi} nền tảng quốc gia, không bị giữ lại. Chỉ bỏ được thay đổi mà nền tảng quốc gia đã giữ lại.`,
      en: `Change #${seq} ${now.en} to the national platform; it is not held back. Only a change the national platform held back can be discarded.`,
    });
  }

  /**
   * Keeping this office's side of a conflict (whole, or any field that would
   * still be sent) whose record left the office's scope: the platform would
   * refuse it (scope). Taking the national version is what is left.
   */
  static keepLeftScope(id: string): LocalWriteRefused {
    return new LocalWriteRefused('left_scope', {
      vi: `Bản ghi ${id} không còn thuộc phạm vi của đơn vị này (ở cấp quốc gia, bản ghi đã được chuyển sang nơi khác), nên nền tảng quốc gia không nhận thay đổi nào của đơn vị này với bản ghi: không giữ được bên đơn vị này. Chưa có gì thay đổi; xung đột vẫn chờ giải quyết. Hãy giữ bản quốc gia, rồi bản ghi sẽ không còn trên máy này (bản ghi ở cấp quốc gia không bị xóa).`,
      en: `Record ${id} is no longer in this office's scope (it was moved elsewhere on the national platform), so the national platform accepts no change of it from this office: this office's side cannot be kept. Nothing was changed; the conflict still waits. Keep the national version, and the record then leaves this computer (the national record is not deleted).`,
    });
  }

  /**
   * Sending a held-back change again that the platform is certain to refuse
   * again: its record left the office's scope (`left_scope`), or the platform
   * no longer holds the record (`not_on_platform`). Discarding it is what is left.
   */
  static notSentAgain(id: string, why: 'left_scope' | 'not_on_platform'): LocalWriteRefused {
    if (why === 'left_scope') {
      return new LocalWriteRefused('left_scope', {
        vi: `Bản ghi ${id} không còn thuộc phạm vi của đơn vị này (ở cấp quốc gia, bản ghi đã được chuyển sang nơi khác), nên nền tảng quốc gia không nhận thay đổi nào của đơn vị này với bản ghi: gửi lại cũng không được nhận. Chưa có gì thay đổi; thay đổi vẫn bị giữ lại. Hãy bỏ thay đổi này, rồi bản ghi sẽ không còn trên máy này (bản ghi ở cấp quốc gia không bị xóa).`,
        en: `Record ${id} is no longer in this office's scope (it was moved elsewhere on the national platform), so the national platform accepts no change of it from this office: sent again, this change would be refused again. Nothing was changed; the change stays held back. Discard it, and the record then leaves this computer (the national record is not deleted).`,
      });
    }
    return new LocalWriteRefused('not_on_platform', {
      vi: `Nền tảng quốc gia không còn giữ bản ghi ${id}, nên gửi lại thay đổi này cũng không được nhận. Chưa có gì thay đổi; thay đổi vẫn bị giữ lại. Hãy bỏ thay đổi này, rồi bản ghi sẽ không còn trên máy này; nếu vẫn cần bản ghi, hãy nhập lại thành bản ghi mới.`,
      en: `The national platform no longer holds record ${id}, so this change, sent again, would be refused again. Nothing was changed; the change stays held back. Discard it, and the record then leaves this computer; if the record is still needed, enter it again as a new record.`,
    });
  }

  /**
   * Keeping this office's side of a conflict (whole, or any field that would
   * still be sent) in a dataset the catalog now gives this office to read
   * only: the platform would refuse it (access). Taking the national version
   * is what is left; the dataset is named by its titles, as staff know it.
   */
  static keepReadOnly(title: LocalizedText): LocalWriteRefused {
    return new LocalWriteRefused('read_only', {
      vi: `Bộ dữ liệu "${title.vi}" nay chỉ được xem, không được sửa tại đơn vị này, nên nền tảng quốc gia không nhận thay đổi nào của đơn vị này với bản ghi: không giữ được bên đơn vị này. Chưa có gì thay đổi; xung đột vẫn chờ giải quyết. Hãy giữ bản quốc gia (thay đổi của đơn vị này với bản ghi sẽ không được gửi đi); nếu thay đổi đó vẫn cần, hãy báo cho đơn vị vận hành nền tảng quốc gia.`,
      en: `The dataset "${title.en}" is now read-only for this office, so the national platform accepts no change of this record from this office: this office's side cannot be kept. Nothing was changed; the conflict still waits. Keep the national version (this office's change of the record is then not sent); if that change is still needed, tell the national platform's operators.`,
    });
  }

  /** The dataset is read-only here; it is named by its titles, as staff know it. */
  static readOnly(title: LocalizedText): LocalWriteRefused {
    return new LocalWriteRefused('read_only', {
      vi: `Bộ dữ liệu "${title.vi}" chỉ được xem, không được sửa tại đơn vị.`,
      en: `The dataset "${title.en}" is read-only for this office.`,
    });
  }
}

/** The data failed the dataset's schema, its rules, or the site's scope. */
export class ValidationFailed extends LocalWriteRefused {
  constructor(errors: readonly RecordError[]) {
    const n = errors.length;
    super(
      'invalid',
      {
        vi: n === 1 ? 'Dữ liệu chưa hợp lệ: 1 lỗi.' : `Dữ liệu chưa hợp lệ: ${n} lỗi.`,
        en: n === 1 ? 'The data is not valid: 1 problem.' : `The data is not valid: ${n} problems.`,
      },
      errors,
    );
    this.name = 'ValidationFailed';
  }
}

/**
 * A dataset the downloaded catalog does not hold, with the names of those it
 * does (`known`, in the catalog's order) when the refusing code read them; the
 * service names them in a refusal thrown without (agent-service.ts), so every
 * command that takes a dataset says the same.
 */
export class UnknownDataset extends LocalWriteRefused {
  constructor(
    readonly dataset: string,
    readonly known: readonly string[] | null = null,
  ) {
    const names = known && known.length > 0 ? known.join(', ') : null;
    super('unknown_dataset', {
      vi: `Không có bộ dữ liệu "${dataset}" trong danh mục đã tải về${names ? `; các bộ dữ liệu có trong danh mục: ${names}` : ''}. Hãy đồng bộ để cập nhật danh mục.`,
      en: `There is no dataset "${dataset}" in the downloaded catalog${names ? `; the datasets in it are ${names}` : ''}. Sync to refresh the catalog.`,
    });
    this.name = 'UnknownDataset';
  }
}
