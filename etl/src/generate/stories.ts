import type { ConsentScope, ConsentStatus, StorytellerRole } from '@firstmile/schema';

/**
 * The stories projects tell beside their numbers. Written for the demo: the people in them
 * are invented, and described by their circumstances, never labelled by their needs.
 * They hold no names of real people, addresses, phone numbers or e-mail addresses.
 */
export interface StorySpec {
  project: string;
  title: string;
  body: string;
  themes: readonly string[];
  linkedMetrics: readonly string[];
  storytellerRole: StorytellerRole;
  consentStatus: ConsentStatus;
  consentScope: ConsentScope;
  anonymised: boolean;
}

export const storySpecs: readonly StorySpec[] = [
  // Homecoming Mentors: mentoring people as they leave prison.
  {
    project: 'homecoming-mentors',
    title: 'Waiting at the gate',
    body: `When a man in his forties walked out of prison on a wet Tuesday morning, his mentor was waiting outside with two coffees and a bus timetable. They had met four times in the visits room before his release, so the face at the gate was one he already knew.

The first week is where things usually go wrong: a missed probation appointment, a night with nowhere to stay, a phone with no credit. This time his mentor went with him to the housing options desk and to his first probation appointment, and sat beside him while he rang his sister for the first time in three years.

A year on he is still in his flat, he has not been back to court, and he volunteers on Saturdays at the food bank where they used to meet. When we asked what made the difference, he said: "Someone who turned up when they said they would."`,
    themes: ['continuity', 'trust'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'practitioner',
    consentStatus: 'given', consentScope: 'funders', anonymised: false,
  },
  {
    project: 'homecoming-mentors',
    title: 'The same face every time',
    body: `"I've had loads of workers over the years. Every time it was a new face and I had to tell the whole story again, from the start, and you get tired of hearing yourself say it.

With my mentor it was the same person from the visits room to my first payslip. She knew about my mum, she knew I can't do mornings, she knew when to push and when to leave it. When I messed up a job interview she didn't write me off, she asked what happened and we went through it.

It sounds small, but not having to start again is the thing. I didn't go back in. I think about that a lot."`,
    themes: ['continuity', 'listening', 'agency'], linkedMetrics: ['reoffending_12m', 'continuity_of_care'], storytellerRole: 'person',
    consentStatus: 'not_required_anonymised', consentScope: 'public', anonymised: true,
  },
  {
    project: 'homecoming-mentors',
    title: 'A phone that worked',
    body: `A woman who had just left prison was missing appointments, and everyone assumed she did not care. Her mentor noticed something simpler: her phone had no credit and a cracked screen, so the reminder texts never reached her.

They sorted out a basic phone together that afternoon and sat down on a bench outside the library to put every appointment into the calendar, with an alarm the evening before. The next month she made every one of them.

We tell this story to new volunteers because it is what mentoring looks like most days. Not a dramatic rescue, just paying attention to the thing in the way and staying long enough to help move it.`,
    themes: ['agency', 'trust', 'listening'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'volunteer',
    consentStatus: 'given', consentScope: 'public', anonymised: true,
  },

  // Willowgate Mentoring: a women's centre mentoring women in contact with the justice system.
  {
    project: 'willowgate-mentoring',
    title: 'Being believed',
    body: `A woman who had been in and out of prison since her early twenties came to the centre because her probation officer suggested it, and she expected another form to fill in. Instead her mentor made tea and asked what she wanted her life to look like in a year.

She said later it was the first time in a long while that someone had believed what she said about herself. Over the following months they worked on the things she named, in the order she chose: getting her debts into a plan, seeing her children on Sundays, and finishing a cleaning qualification she had started twice before.

She still drops in on Thursdays, now mostly to help make the tea.`,
    themes: ['listening', 'trust', 'agency'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'practitioner',
    consentStatus: 'withheld', consentScope: 'internal', anonymised: false,
  },
  {
    project: 'willowgate-mentoring',
    title: 'Back at the school gate',
    body: `"My daughter had been away twice, and I was bringing up her two while she was inside. I didn't expect it to be different this time.

What changed was that her mentor came to the house, sat with both of us at the kitchen table, and treated me as part of it rather than someone in the way. When my daughter got anxious about the school, her mentor walked up with her the first few mornings.

Now she takes the children to school herself. I pick them up on Wednesdays because I want to, not because I have to. That's what I'd want funders to know: it's a whole family that gets its footing back."`,
    themes: ['belonging', 'continuity'], linkedMetrics: ['reoffending_12m', 'people_supported'], storytellerRole: 'family',
    consentStatus: 'given', consentScope: 'funders', anonymised: true,
  },

  // Kestrel Youth Mentoring: young people who have been in trouble with the police.
  {
    project: 'kestrel-youth-mentoring',
    title: 'Five-a-side on Thursdays',
    body: `A fifteen-year-old boy had been arrested twice in a month when he was introduced to his mentor, a volunteer who runs a five-a-side game on Thursday evenings. For the first few weeks he came to play football and not much else, and that was fine.

Over the winter the conversations happened on the way to the bus stop: about his older brother, about school, about the group he had been spending evenings with. His mentor never lectured him, and always turned up.

By spring he had moved to a different class at school, asked his mentor to come to a meeting with his head of year, and started refereeing the younger players' game on Saturdays. He has not been arrested since.`,
    themes: ['belonging', 'trust', 'continuity'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'volunteer',
    consentStatus: 'given', consentScope: 'public', anonymised: true,
  },
  {
    project: 'kestrel-youth-mentoring',
    title: 'Someone in his corner at the panel',
    body: `A young man of sixteen was due at a youth panel meeting and had decided in advance that it would go badly. His mentor had known him for five months by then, and offered to come along.

In the meeting, the mentor did not speak for him. She reminded him, quietly, of the things he had told her he wanted to say, and at one point she asked the panel to let him finish. He did, and the plan that came out of it was one he had helped to write.

The panel members said afterwards that it was the first time they had heard him talk about his future rather than his past.`,
    themes: ['agency', 'trust'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'practitioner',
    consentStatus: 'not_required_anonymised', consentScope: 'funders', anonymised: true,
  },
  {
    project: 'kestrel-youth-mentoring',
    title: 'Asking what I wanted',
    body: `"Nobody had ever asked me what I actually wanted to do. They told me what I had to stop doing.

My mentor asked the first week and I said I didn't know, so she said fine, we'll find out. We went to a bike workshop and a college open day and a kitchen where her friend works. I liked the kitchen.

I'm on a catering course now. I still see her every other week. She still asks what I want, and now I usually know."`,
    themes: ['agency', 'listening'], linkedMetrics: ['reoffending_12m', 'continuity_of_care'], storytellerRole: 'person',
    consentStatus: 'given', consentScope: 'internal', anonymised: true,
  },

  // Hartley Peer Mentors: mentors who have been through the justice system themselves.
  {
    project: 'hartley-peer-mentors',
    title: 'Someone who has been there',
    body: `"I was in and out for fifteen years. When I got out the last time, a peer mentor met me, and the first thing he said was that he'd done the same walk from the same gate.

I didn't have to explain what a first night out feels like. He knew. He didn't have the answers to everything, but he knew who did, and he came with me to ask.

I'm a peer mentor myself now. I tell the men I meet the same thing he told me: it's one day and then the next day, and you don't do it on your own."`,
    themes: ['trust', 'belonging'], linkedMetrics: ['reoffending_12m', 'sustained_employment'], storytellerRole: 'person',
    consentStatus: 'given', consentScope: 'public', anonymised: false,
  },
  {
    project: 'hartley-peer-mentors',
    title: 'Appointments kept',
    body: `A probation officer in Hartley told us that the people she supervises who have a peer mentor keep far more of their appointments than those who don't. It is not that the mentors remind them, although they do. It is that someone cares whether they came.

She described a man who had been recalled to prison twice for missed appointments. With a peer mentor beside him, he came to every one for nine months, and then started coming early to chat to the receptionist.

"It changes the conversation we have," she said. "We can talk about what comes next instead of why he wasn't here."`,
    themes: ['continuity', 'trust'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'practitioner',
    consentStatus: 'given', consentScope: 'funders', anonymised: true,
  },

  // Steady Steps: a newer mentoring project, open about a difficult year.
  {
    project: 'steady-steps',
    title: 'What went wrong this year',
    body: `Our reoffending figures this year are worse than the national average, and we want to say plainly why rather than leave the number on its own.

In the spring three of our five mentors left within two months, and we could not replace them quickly. Caseloads doubled. The people we work with saw a different face most months, and several told us they had stopped coming because they were tired of starting again. The relationships that make mentoring work were the first thing we lost.

We have since recruited and trained four new mentors, capped caseloads at eight, and agreed that nobody changes mentor without a handover meeting they are part of. We will report honestly on whether that turns the figures round.`,
    themes: ['continuity', 'learning'], linkedMetrics: ['reoffending_12m', 'staff_retention'], storytellerRole: 'practitioner',
    consentStatus: 'given', consentScope: 'funders', anonymised: true,
  },
  {
    project: 'steady-steps',
    title: 'A second go',
    body: `A young man who had been mentored by Steady Steps for four months was arrested again in the autumn, after his mentor left and before a new one was found. He told us he had felt dropped.

When he was released on bail he came back to the project and asked for the new mentor by name, because a friend had told him she was good. They started again, slowly, with a walk round the park every Monday.

He is the reason we changed how handovers work. He asked us to include his story so that other people would not have the gap he had.`,
    themes: ['trust', 'agency', 'continuity'], linkedMetrics: ['reoffending_12m'], storytellerRole: 'practitioner',
    consentStatus: 'not_required_anonymised', consentScope: 'funders', anonymised: true,
  },

  // Ashbrook Connects: a town-wide social connection programme.
  {
    project: 'ashbrook-connects',
    title: 'The Tuesday lunch',
    body: `An older man in Ashbrook had called an ambulance eleven times in six months, almost always late at night. Each time the crew found no emergency. His GP noticed the pattern and asked one of our connectors to visit.

Over a cup of tea it came out that his wife had died the year before, and evenings were the worst. The connector went with him to the Tuesday lunch at the church hall the following week, and stayed for the first two.

He now goes every week, helps set out the chairs, and has a phone tree with three other regulars for the evenings. He has not called an ambulance since the summer.`,
    themes: ['belonging', 'listening'], linkedMetrics: ['non_elective_admissions', 'loneliness'], storytellerRole: 'volunteer',
    consentStatus: 'given', consentScope: 'public', anonymised: true,
  },
  {
    project: 'ashbrook-connects',
    title: 'A whole town that notices',
    body: `The practice nurse at one of Ashbrook's surgeries explained the programme better than we can: "It's not one service, it's the whole town paying attention."

The pharmacy, the library, the hairdresser, the bus drivers and the surgeries all know the connectors, and all know they can pass on a name when someone seems to be struggling. The connector then takes the time to find out what matters to that person: a walking group, a choir, a lift to see a sister, help with a form.

She told us the change she notices is fewer people arriving in crisis. "We still see them," she said, "but earlier, and for better reasons."`,
    themes: ['belonging', 'continuity'], linkedMetrics: ['non_elective_admissions'], storytellerRole: 'practitioner',
    consentStatus: 'given', consentScope: 'funders', anonymised: false,
  },
  {
    project: 'ashbrook-connects',
    title: 'Not a number on a list',
    body: `A woman living with several long-term conditions told her connector that she had stopped going to appointments because each one felt like being processed. Nobody asked how she was; they asked about her readings.

Her connector went with her to one appointment and asked the consultant, with her permission, to start by asking what she wanted from the visit. It was a small thing that changed the tone of everything after.

She now chairs a small group of people who meet monthly to talk about their care, and the local hospital has asked them to help redesign its clinic letters.`,
    themes: ['trust', 'agency', 'listening'], linkedMetrics: ['non_elective_admissions', 'ae_attendances'], storytellerRole: 'practitioner',
    consentStatus: 'withheld', consentScope: 'internal', anonymised: false,
  },

  // Home Conversations: a housing team that moved from letters to individual conversations.
  {
    project: 'home-conversations',
    title: 'From a form to a conversation',
    body: `For years our waiting list was managed by letter. Every six months each household got a form, and if it was not returned they dropped off the list, which made the numbers look tidier than people's lives were.

In the autumn we stopped sending forms and started phoning, then visiting, each household on the list. A conversation of half an hour, at a time that suited them, asking what was wrong with where they lived now and what would make the biggest difference.

Many people did not need a move at all. They needed a repair chased, a room adapted, or help with arrears before it became an eviction. The list has been shrinking every quarter since, and the people still on it are the ones a new home will really help.`,
    themes: ['listening', 'agency'], linkedMetrics: ['waiting_list_length', 'repeat_conversations'], storytellerRole: 'practitioner',
    consentStatus: 'given', consentScope: 'public', anonymised: true,
  },
  {
    project: 'home-conversations',
    title: 'What we actually needed',
    body: `"We'd been on the list for four years for a bigger place. Every year the letter came and every year I filled it in.

When the housing officer came round she asked why we wanted to move, and I said my son uses a wheelchair now and can't get up the stairs to the bathroom. She said, so it's the bathroom, not the house? And it was. We love this street. His school is round the corner.

They put in a downstairs wet room in the spring. We came off the list. I didn't know that was something you could ask for until someone asked us."`,
    themes: ['listening', 'agency', 'belonging'], linkedMetrics: ['waiting_list_length', 'homelessness_applications'], storytellerRole: 'family',
    consentStatus: 'given', consentScope: 'funders', anonymised: true,
  },
  {
    project: 'home-conversations',
    title: 'Staying put',
    body: `A woman in her eighties had asked to move to sheltered housing because she was frightened of falling on her stairs at night. During her conversation with the housing team it became clear that she did not want to leave her neighbours of forty years.

The team arranged a second banister, brighter lighting on the landing and a pendant alarm, and introduced her to a neighbour who now calls in each evening on his way back from work.

She asked to come off the waiting list the following month. "I wanted to feel safe," she said, "not to start again somewhere new."`,
    themes: ['belonging', 'agency', 'listening'], linkedMetrics: ['waiting_list_length'], storytellerRole: 'practitioner',
    consentStatus: 'not_required_anonymised', consentScope: 'public', anonymised: true,
  },

  // Palliative Care at Home: a community palliative care team.
  {
    project: 'palliative-at-home',
    title: 'Six conversations, then one',
    body: `A woman caring for her husband in the last months of his life told us that in three weeks she had spoken to six different services: the surgery twice, the emergency department, the social work duty line, the mental health team and the out-of-hours doctor. Each conversation was short, each was kind, and each ended with a number to ring somewhere else.

When our nurse visited, she sat with them both at the kitchen table for half an hour and asked what mattered most. He wanted to stay at home; she wanted to know what to do at three in the morning. Together they made a plan, with one number to call, day or night.

There were no more emergency visits. Six short conversations had looked efficient to each service. One longer one was what actually helped.`,
    themes: ['listening', 'continuity'], linkedMetrics: ['repeat_conversations', 'ae_attendances'], storytellerRole: 'practitioner',
    consentStatus: 'given', consentScope: 'public', anonymised: true,
  },
  {
    project: 'palliative-at-home',
    title: 'He wanted to be at home',
    body: `"Dad had been in and out of hospital four times that winter, and every time he came home a little more frightened of going back.

The palliative team came the day after he was discharged. The nurse asked him, not us, what he wanted, and he said he wanted to be in his own chair, with the garden outside. Everything after that was built around that.

He died at home in the spring, with the window open. I will always be grateful that someone asked him."`,
    themes: ['agency', 'trust', 'listening'], linkedMetrics: ['ae_attendances', 'people_supported'], storytellerRole: 'family',
    consentStatus: 'given', consentScope: 'funders', anonymised: true,
  },
  {
    project: 'palliative-at-home',
    title: 'Starting with the long conversation',
    body: `This quarter we tried something simple. For every new referral, the first contact is a long visit, at home, with the person and whoever they want there, before any assessment form is opened.

Our nurses were worried it would slow us down. It did the opposite: fewer calls back, fewer crises at weekends, and families who knew who to ring. One nurse said it felt like doing the work in the right order for the first time.

We are sharing this internally first, while we check the pattern holds over more quarters.`,
    themes: ['listening', 'continuity'], linkedMetrics: ['repeat_conversations'], storytellerRole: 'practitioner',
    consentStatus: 'withheld', consentScope: 'internal', anonymised: true,
  },

  // Community Connectors: social care conversations in Millbrook.
  {
    project: 'community-connectors',
    title: 'One call instead of five',
    body: `"I live on my own and I've got a lung condition. Last winter I was ringing the surgery, the council, the hospital and a helpline, sometimes the same day, and telling each one the same story.

Then a connector came round. She sat down, let me talk, and wrote it all down once. She sorted the heating grant, got my prescriptions delivered, and put me in touch with a breathing group that meets at the library.

Now if something goes wrong I ring her, and she knows. I've been to the doctor's less this year than any year I can remember."`,
    themes: ['continuity', 'listening'], linkedMetrics: ['repeat_conversations', 'gp_appointments'], storytellerRole: 'person',
    consentStatus: 'given', consentScope: 'public', anonymised: true,
  },
  {
    project: 'community-connectors',
    title: 'A neighbour at the door',
    body: `One of our volunteers described the first time she knocked on the door of a man who had not left his flat for most of a year after a stroke. He did not want to talk, so she left a leaflet and said she would come back on Friday.

She came back every Friday for two months. On the ninth Friday he made her a cup of tea. By the summer he was coming to the community garden with her, and now he waters it on Sundays when she is away.

"I didn't do anything clever," she said. "I just kept coming back."`,
    themes: ['belonging', 'trust', 'continuity'], linkedMetrics: ['loneliness'], storytellerRole: 'volunteer',
    consentStatus: 'not_required_anonymised', consentScope: 'funders', anonymised: true,
  },
];

export function storiesFor(project: string): StorySpec[] {
  return storySpecs.filter((s) => s.project === project);
}
