/** Text as it may stand in HTML content or a quoted attribute: every character that could open markup becomes a numeric reference. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
