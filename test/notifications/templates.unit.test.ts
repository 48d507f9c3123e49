import { formatSwedishDate } from '../../src/services/notifications/message-wording';
import { renderDigest, type DigestInput } from '../../src/services/notifications/digest-message';
import { renderMessage } from '../../src/services/notifications/templates';

const publicUrl = 'https://lisplan.example.se/';
const activity = { id: 'sodermalm.2026.a12', title: 'Klassa informationen i ekonomisystemet' };

describe('Swedish dates', () => {
  it('writes calendar dates the sv-SE way', () => {
    expect(formatSwedishDate('2026-12-31')).toBe('31 december 2026');
    expect(formatSwedishDate('2027-03-01')).toBe('1 mars 2027');
    expect(formatSwedishDate('2026-06-05')).toBe('5 juni 2026');
    expect(formatSwedishDate('not a date')).toBe('not a date');
  });
});

describe('renderMessage', () => {
  it('reminds before a deadline, with the days left and a link to the activity', () => {
    const m = renderMessage({ type: 'reminder', publicUrl, recipientName: 'Anna Andersson', activity, dueDate: '2026-12-31', daysLeft: 7 });
    expect(m.subject).toBe('Påminnelse: Klassa informationen i ekonomisystemet – 7 dagar kvar (31 december 2026)');
    expect(m.text).toContain('Hej Anna Andersson,');
    expect(m.text).toContain('ska vara klar senast 31 december 2026');
    expect(m.text).toContain('Det är 7 dagar kvar.');
    expect(m.text).toContain('https://lisplan.example.se/aktiviteter/sodermalm.2026.a12');
    expect(m.html).toContain('<a href="https://lisplan.example.se/aktiviteter/sodermalm.2026.a12"');
    expect(m.html).toContain('<html lang="sv">');

    const one = renderMessage({ type: 'reminder', publicUrl, activity, dueDate: '2026-12-31', daysLeft: 1 });
    expect(one.subject).toContain('1 dag kvar');
    expect(one.text).toContain('Hej,');
  });

  it('tells the owner the activity is overdue', () => {
    const m = renderMessage({ type: 'overdue', publicUrl, activity, dueDate: '2026-12-31' });
    expect(m.subject).toBe('Försenad: Klassa informationen i ekonomisystemet (slutdatum 31 december 2026)');
    expect(m.text).toContain('var 31 december 2026 och aktiviteten är inte klar');
    expect(m.text).toContain('/aktiviteter/sodermalm.2026.a12');
  });

  it('escalates to the coordinator and to the förvaltningschef in different words', () => {
    const toCoordinator = renderMessage({
      type: 'escalation', level: 'coordinator', publicUrl, activity, dueDate: '2026-12-31', daysOverdue: 7, ownerName: 'Bo Berg',
    });
    expect(toCoordinator.subject).toBe('Eskalering: Klassa informationen i ekonomisystemet är försenad 7 dagar');
    expect(toCoordinator.text).toContain('som informationssäkerhetssamordnare');
    expect(toCoordinator.text).toContain('Ansvarig: Bo Berg.');
    expect(toCoordinator.text).toContain('eskaleras den till förvaltningschefen');

    const toHead = renderMessage({ type: 'escalation', level: 'head', publicUrl, activity, dueDate: '2026-12-31', daysOverdue: 14 });
    expect(toHead.subject).toContain('försenad 14 dagar');
    expect(toHead.text).toContain('som förvaltningschef');
    expect(toHead.text).toContain('/aktiviteter/sodermalm.2026.a12');
  });

  it('asks for sign-off of a milestone and links to the approvals page', () => {
    const m = renderMessage({
      type: 'approval-requested', publicUrl, activity, milestoneTitle: 'Klassning klar', submittedBy: 'Anna Andersson',
    });
    expect(m.subject).toBe('Att godkänna: Klassning klar – Klassa informationen i ekonomisystemet');
    expect(m.text).toContain('har skickats in av Anna Andersson och väntar på ditt godkännande');
    expect(m.text).toContain('Gå till Att godkänna: https://lisplan.example.se/att-godkanna');
    expect(m.html).toContain('href="https://lisplan.example.se/att-godkanna"');
  });

  it('reports each kind of decision', () => {
    const common = { type: 'decision' as const, publicUrl, activity, milestoneTitle: 'Klassning klar', decidedBy: 'Cecilia Chef' };
    const approved = renderMessage({ ...common, outcome: 'approved' });
    expect(approved.subject).toBe('Godkänt: Klassning klar – Klassa informationen i ekonomisystemet');
    expect(approved.text).toContain('Delmålet ”Klassning klar” i ”Klassa informationen i ekonomisystemet” har godkänts av Cecilia Chef.');

    const back = renderMessage({ ...common, outcome: 'sent-back', comment: 'Bifoga klassningen.\nOch beslutet.' });
    expect(back.subject).toBe('Åter för komplettering: Klassning klar – Klassa informationen i ekonomisystemet');
    expect(back.text).toContain('> Bifoga klassningen.\n> Och beslutet.');
    expect(back.html).toContain('Bifoga klassningen.<br>Och beslutet.');

    const granted = renderMessage({ ...common, outcome: 'extension-granted', dueDate: '2027-03-31' });
    expect(granted.subject).toBe('Förlängning beviljad: Klassa informationen i ekonomisystemet – nytt slutdatum 31 mars 2027');
    expect(granted.text).toContain('Nytt slutdatum är 31 mars 2027.');

    const refused = renderMessage({
      ...common, outcome: 'extension-refused', dueDate: '2026-12-31', proposedDueDate: '2027-06-30', comment: 'Ingen grund.',
    });
    expect(refused.subject).toBe('Förlängning avslagen: Klassa informationen i ekonomisystemet');
    expect(refused.text).toContain('till 30 juni 2027 har avslagits av Cecilia Chef. Slutdatumet 31 december 2026 gäller.');
    expect(refused.text).toContain('> Ingen grund.');
    for (const m of [approved, back, granted, refused]) expect(m.text).toContain('https://lisplan.example.se/aktiviteter/sodermalm.2026.a12');
  });

  it('asks for adoption of the management review and links to the annual report', () => {
    const m = renderMessage({ type: 'review-adoption', publicUrl, orgId: 'sodermalm', orgName: 'Södermalms stadsdelsförvaltning', year: 2026 });
    expect(m.subject).toBe('Ledningens genomgång 2026 väntar på fastställande – Södermalms stadsdelsförvaltning');
    expect(m.text).toContain('https://lisplan.example.se/arsrapport/sodermalm/2026');
  });

  it('escapes every interpolated value in the HTML body and keeps the subject on one line', () => {
    const evil = { id: 'org.2026.x"><img src=x>', title: '<script>alert("x")</script> & Co\r\nBcc: someone@example.com' };
    const m = renderMessage({
      type: 'decision', outcome: 'sent-back', publicUrl, activity: evil, milestoneTitle: 'A & <b>B</b>',
      decidedBy: '<i>Eve</i>', comment: '</blockquote><script>x</script>',
    });
    expect(m.html).not.toMatch(/<script/i);
    expect(m.html).not.toContain('<img');
    expect(m.html).not.toContain('<i>Eve</i>');
    expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(m.html).toContain('A &amp; &lt;b&gt;B&lt;/b&gt;');
    expect(m.html).toContain('&lt;/blockquote&gt;&lt;script&gt;x&lt;/script&gt;');
    // The id is URL-encoded in the link, so it cannot leave the attribute either.
    expect(m.html).toContain('href="https://lisplan.example.se/aktiviteter/org.2026.x%22%3E%3Cimg%20src%3Dx%3E"');
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject).toContain('<script>alert("x")</script> & Co Bcc: someone@example.com');
    // The plain-text body is text: nothing to escape there.
    expect(m.text).toContain('<script>alert("x")</script> & Co');
  });

  it('keeps the title of a confidential activity out of the email', () => {
    const secret = { ...activity, confidential: true };
    const m = renderMessage({ type: 'reminder', publicUrl, activity: secret, dueDate: '2026-12-31', daysLeft: 30 });
    expect(m.subject).toBe('Påminnelse: sekretessmarkerad aktivitet – 30 dagar kvar (31 december 2026)');
    expect(`${m.subject}${m.text}${m.html}`).not.toContain('ekonomisystemet');
    expect(m.text).toContain('/aktiviteter/sodermalm.2026.a12');
    const d = renderMessage({
      type: 'decision', outcome: 'sent-back', publicUrl, activity: secret, milestoneTitle: 'Brandvägg i ekonomisystemet', comment: 'hemligt',
    });
    expect(`${d.subject}${d.text}${d.html}`).not.toMatch(/ekonomisystemet|hemligt/);
  });
});

describe('renderDigest', () => {
  const empty: DigestInput = { recipientName: 'Anna Andersson', openTasks: [], comingDeadlines: [], waitingApprovals: [], publicUrl };

  it('returns null when nothing waits', () => {
    expect(renderDigest(empty)).toBeNull();
  });

  it('summarises tasks, deadlines and approvals with links', () => {
    const d = renderDigest({
      ...empty,
      openTasks: [
        { activityId: 'sodermalm.2026.a12', activityTitle: activity.title, taskTitle: 'Inventera system' },
        { activityId: 'sodermalm.2026.a12', activityTitle: activity.title, taskTitle: 'Klassa <data> & sånt' },
      ],
      comingDeadlines: [{ activityId: 'sodermalm.2026.a12', activityTitle: activity.title, dueDate: '2026-12-31' }],
      waitingApprovals: [{ activityId: 'sodermalm.2026.a03', activityTitle: 'Utbildning', milestoneTitle: 'Genomförd' }],
    });
    expect(d).not.toBeNull();
    expect(d!.subject).toBe('Din sammanfattning i lisplan: 2 öppna uppgifter, 1 kommande slutdatum, 1 att godkänna');
    expect(d!.text).toContain('Hej Anna Andersson,');
    expect(d!.text).toContain('- Klassa informationen i ekonomisystemet (senast 31 december 2026)');
    expect(d!.text).toContain('- Genomförd – Utbildning\n  https://lisplan.example.se/aktiviteter/sodermalm.2026.a03');
    expect(d!.text).toContain('https://lisplan.example.se/att-godkanna');
    expect(d!.text).toContain('enligt dina inställningar.\n\nÄndra dina inställningar: https://lisplan.example.se/installningar');
    expect(d!.html).toContain('Klassa &lt;data&gt; &amp; sånt');
    expect(d!.html).not.toContain('<data>');

    const single = renderDigest({ ...empty, openTasks: [{ activityId: 'a', activityTitle: 'A', taskTitle: 'T' }] });
    expect(single!.subject).toBe('Din sammanfattning i lisplan: 1 öppen uppgift');
  });
});
