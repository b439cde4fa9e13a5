import type { ButtonHTMLAttributes, MouseEvent } from 'react';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-disabled'> & {
  type: 'button' | 'submit';
  /** Presses do nothing meanwhile (it looks and is announced as unavailable). */
  unavailable: boolean;
};

/**
 * A button that becomes unavailable because of its own press (work in
 * progress, or a selection the press used up) and keeps the keyboard focus:
 * a disabled button drops the focus to the window's top, so this one stays
 * focusable with aria-disabled and ignores presses, a submit's included (the
 * form is not sent). `disabled` stays for reasons a press cannot cause.
 */
export function SteadyButton({ unavailable, onClick, type, ...rest }: Props) {
  const press = (event: MouseEvent<HTMLButtonElement>) => {
    if (unavailable) event.preventDefault();
    else onClick?.(event);
  };
  return <button {...rest} type={type} onClick={press} aria-disabled={unavailable || undefined} />;
}
