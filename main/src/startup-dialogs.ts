import type { Localized } from '../../sync-engine/src/api/index.js';
import { t } from './strings.js';

/** What `dialog.showErrorBox` takes. */
export interface ErrorBox {
  title: string;
  content: string;
}

/**
 * An error box shown before the person's language is known (the agent has not
 * answered yet, or never will): Vietnamese first, English under it. `detail`
 * (e.g. a path or an error's own text, for IT) follows both, once.
 */
export function bilingualErrorBox(title: Localized, body: Localized, detail?: string): ErrorBox {
  const content = `${body.vi}\n\n${body.en}`;
  return { title: `${title.vi} / ${title.en}`, content: detail ? `${content}\n\n${detail}` : content };
}

const cannotOpen: Localized = { vi: t('vi', 'hostUnavailableTitle'), en: t('en', 'hostUnavailableTitle') };

/** The window's files are missing: a broken install, or a development tree not yet built. */
export function windowNotBuiltBox(rendererIndex: string): ErrorBox {
  return bilingualErrorBox(
    cannotOpen,
    {
      vi: 'Thiếu tệp giao diện của cửa sổ. Hãy cài đặt lại ứng dụng hoặc báo bộ phận CNTT (khi phát triển, lệnh npm start sẽ dựng giao diện).',
      en: 'The window is not built: its files are missing. Reinstall the app or tell IT (in development, npm start builds it).',
    },
    rendererIndex,
  );
}

/** The agent could not take or reach the data folder; `reason` is already in both languages. */
export function hostUnavailableBox(reason: Localized): ErrorBox {
  return bilingualErrorBox(cannotOpen, reason);
}

/**
 * Anything else that stopped the start. An error that says itself in both
 * languages (the data file damaged, in use, or upgraded by a newer version of
 * the agent) is shown in its own words; any other error's own text is for IT
 * and stays as it is.
 */
export function startFailedBox(error: unknown): ErrorBox {
  const own = localizedOf(error);
  if (own) return bilingualErrorBox(cannotOpen, own);
  return bilingualErrorBox(
    { vi: t('vi', 'productName'), en: t('en', 'productName') },
    {
      vi: 'Tác tử không khởi động được. Hãy mở lại ứng dụng; nếu vẫn lỗi, gửi nội dung dưới đây cho bộ phận CNTT.',
      en: 'The agent could not start. Open the app again; if it still fails, send the text below to IT.',
    },
    error instanceof Error ? error.message : String(error),
  );
}

/** The error's `messages` when it carries a sentence in each language. */
function localizedOf(error: unknown): Localized | null {
  const messages = (error as { messages?: unknown } | null)?.messages as Partial<Localized> | undefined;
  return typeof messages?.vi === 'string' && typeof messages.en === 'string' ? { vi: messages.vi, en: messages.en } : null;
}
