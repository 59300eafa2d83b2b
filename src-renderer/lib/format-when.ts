/** When something happened, the way a call list says it: "14:05", "Yesterday 09:12", "3 Mar 18:40". */
export function formatWhen(at: number, now: number = Date.now()): string {
  const date = new Date(at);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const day = startOfDay(date);
  const today = startOfDay(new Date(now));
  if (day === today) return time;
  if (today - day <= 86_400_000 + 3_600_000) return `Yesterday ${time}`;
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  const dayText = date.toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
  return `${dayText} ${time}`;
}

/** A full date and time, for certificates and tooltips. */
export function formatDateTime(at: number | string): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}
