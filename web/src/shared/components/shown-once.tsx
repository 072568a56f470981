/** A secret the server shows once (a temporary password, a new token), with its warning. */
export function ShownOnce({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint: string;
  testId: string;
}) {
  return (
    <div className="once">
      <p>
        {label}:{' '}
        <code className="wrap" data-testid={testId}>
          {value}
        </code>
      </p>
      <p className="hint">{hint}</p>
    </div>
  );
}
