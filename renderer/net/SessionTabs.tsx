import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';
import type { TabModel, TabsModel } from './tabs';
import { useStore } from './useStore';

interface SessionTabsProps<M extends TabModel> {
  tabs: TabsModel<M>;
  /** "UDP" or "TCP": names the tab list. */
  kind: string;
  /** The tab's label (may show its state). */
  renderLabel: (tab: M) => ReactNode;
  children: (tab: M) => ReactNode;
}

/**
 * Several client sessions at once, as tabs with arrow-key navigation (the ARIA tabs
 * pattern). Only the selected session is rendered; the others keep running in their
 * models, so their transcripts are complete when the user comes back.
 */
export function SessionTabs<M extends TabModel>({ tabs, kind, renderLabel, children }: SessionTabsProps<M>) {
  const state = useStore(tabs);
  const id = useId();
  const list = useRef<HTMLDivElement>(null);
  const active = state.tabs.find((tab) => tab.tabId === state.activeId) ?? state.tabs[0];

  const onKeyDown = (event: KeyboardEvent) => {
    const index = state.tabs.findIndex((tab) => tab.tabId === state.activeId);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % state.tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + state.tabs.length) % state.tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = state.tabs.length - 1;
    const target = next === undefined ? undefined : state.tabs[next];
    if (!target) return;
    event.preventDefault();
    tabs.select(target.tabId);
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-tab="${target.tabId}"]`)?.focus());
  };

  return (
    <div className="session-tabs">
      <div className="tab-strip">
        <div role="tablist" aria-label={`${kind} client sessions`} ref={list} onKeyDown={onKeyDown}>
          {state.tabs.map((tab) => {
            const selected = tab.tabId === active?.tabId;
            return (
              <button
                key={tab.tabId}
                type="button"
                role="tab"
                id={`${id}-${tab.tabId}`}
                data-tab={tab.tabId}
                aria-selected={selected}
                aria-controls={`${id}-panel`}
                tabIndex={selected ? 0 : -1}
                className="tab"
                onClick={() => tabs.select(tab.tabId)}
              >
                {renderLabel(tab)}
              </button>
            );
          })}
        </div>
        <button type="button" className="tab-add" onClick={() => tabs.add()}>
          + New client
        </button>
      </div>
      {active && (
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${active.tabId}`} className="tab-panel">
          {children(active)}
        </div>
      )}
    </div>
  );
}
