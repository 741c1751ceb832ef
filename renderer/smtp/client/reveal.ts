/**
 * After a send, the step's newest reply (or, with none, its status) is brought into view:
 * at 1024×768 the step card can sit far below the button that sent it. `block: 'nearest'`
 * scrolls only as far as needed, so a reply already on screen moves nothing.
 */
export function revealReply(root: ParentNode | null | undefined, stepId: string | undefined): void {
  if (!root || stepId === undefined) return;
  // After React has drawn the reply.
  requestAnimationFrame(() => {
    const card = root.querySelector<HTMLElement>(`[data-step="${CSS.escape(stepId)}"]`);
    if (!card) return;
    const replies = card.querySelectorAll<HTMLElement>('.smtp-run .smtp-reply');
    const target =
      replies[replies.length - 1] ??
      card.querySelector<HTMLElement>('.smtp-run') ??
      card.querySelector<HTMLElement>('.smtp-step-head') ??
      card;
    target.scrollIntoView({ block: 'nearest' });
  });
}
