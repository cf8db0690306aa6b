// Case reports (a later issue) render statistics and stories with the dashboard's chart
// builders and figure formats; this package re-exports what they share so far.
export { formatCount, formatProportion, withheldText } from '@firstmile/dashboard';
