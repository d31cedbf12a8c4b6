export const metadata = { title: 'T2M peer' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>
        <nav>
          <a href="/">T2M</a> <a href="/dashboard">Dashboard</a> <a href="/generate">Generate</a>{' '}
          <a href="/jobs">Jobs</a> <a href="/videos">Videos</a>
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
