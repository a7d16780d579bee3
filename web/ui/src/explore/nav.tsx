// In-page navigation: views change through history.pushState so the address
// bar always holds a shareable link to what is on screen.
import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';
import { entityView, viewURL, type View } from './url';
import type { Vocabulary } from './api';

export type Navigate = (v: View, opts?: { replace?: boolean }) => void;

export const NavContext = createContext<Navigate>(() => {});
export const useNavigate = () => useContext(NavContext);

export const VocabularyContext = createContext<Vocabulary | null>(null);
export const useVocabulary = () => useContext(VocabularyContext);

/** A link to a view that navigates in-page (and still opens in a new tab on middle/ctrl click). */
export function ViewLink({ to, children, className, title }: { to: View; children: ReactNode; className?: string; title?: string }) {
  const navigate = useNavigate();
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={viewURL(to)} onClick={onClick} className={className} title={title}>
      {children}
    </a>
  );
}

export function EntityLink({ id, children, className }: { id: string; children: ReactNode; className?: string }) {
  return (
    <ViewLink to={entityView(id)} className={className}>
      {children}
    </ViewLink>
  );
}
