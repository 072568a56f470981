import { PageHeading } from './page-heading';

/** A page the role may not use: its heading and why (the API would refuse it anyway). */
export function Refused({ title, message }: { title: string; message: string }) {
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="error" role="alert">
        {message}
      </p>
    </>
  );
}
