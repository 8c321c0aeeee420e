"""The seed case, as text: Copenhagen, Beskæftigelses- og Integrationsudvalget, 2009.

Agenda item 18, case 2009-68440, reproduced from ``shared/seed`` with the line
breaks of the source PDF joined into paragraphs. Everything else the demo
loader creates around it is invented and marked as demo data.
"""

SEED_CASE_NUMBER = "2009-68440"
SEED_ITEM_NUMBER = 18
SEED_TITLE = "Styring af de politiske processer i forbindelse med boligsociale helhedsplaner"
SEED_SUMMARY = (
    "Beskæftigelses- og Integrationsudvalget skal drøfte muligheden for en større involvering "
    "af de politiske udvalg i forbindelse med ansøgninger til og udmøntningen af "
    "Landsbyggefondens boligsociale helhedsplaner."
)
SEED_RECOMMENDATION_POINTS = ["at Beskæftigelses- og Integrationsudvalget drøfter sagen."]
SEED_PROBLEM = """Et medlem af Beskæftigelses- og Integrationsudvalget har på udvalgsmødet den 14. maj 2009 indgivet en forespørgsel om at udvalget drøfter behovet for udvikling af nuværende praksis i forhold til styring af de politiske processer i forbindelse med planlægning og implementering af boligsociale helhedsplaner i regi af Landsbygge fonden.

Arbejdet med de boligsociale handlingsplaner, i regi af landsbyggefonden, har således været kendetegnet ved et meget stramt og kortfattet ansøgnings- og planlægningsforløb.

Spørgsmålet er også drøftet i Teknik- og Miljøudvalget den 13. maj 2009."""
SEED_SOLUTION = """Det bemærkes indledningsvist, at Teknik- og Miljøforvaltningen er ressortansvarlige for de boligsociale helhedsplaner og områdeløft. Teknik- og Miljøforvaltningen har udarbejdet et notat til Teknik- og Miljøudvalget om problemstillingen, som er vedlagt som bilag 1. Heri fremgår det, at styringen af området kan styrkes igennem:

Skabelsen af en fælles politik for de områdebaserede indsatser, der kan skabe større synergi og sammenhæng mellem kommunens generelle politiske målsætninger. Helhedsplaner som områdefornyelsesprojekter vil fremover kunne planlægges og udvikles ud fra fælles kommunale visioner og målsætninger for de områdebaserede indsatser

Etablering af en fælles medfinansieringspraksis og pulje, der vil kunne lette det administrative arbejde med helhedsplanerne betydeligt samt i endnu højere grad gøre det muligt at styre helhedsplanerne i forhold til de politiske prioriteringer

Etablering af en politisk følgegruppe, der vil kunne følge udviklingen af de områdebaserede indsatser tættere, end hvad der vil være muligt for udvalgs niveau, og dermed i højere grad sikre politisk bevågenhed. Etableringen af en politisk følge gruppe kan enten ske via oprettelsen af et § 17 stk. 4 udvalg henhold til Styrelsesloven nedsættes af Borgerrepræsentationen. Den anden mulighed er nedsættelse af en følgegruppe af mere uformel karakter, hvor politikere med særlig interesse for de områdebaserede indsatser kan engagere sig

At værktøjet ’Det socioøkonomisk københavnerkort’ indgår som del af det kommunalpolitiske beslutningsgrundlag og udvalgsarbejde vedrørende kommunes områdebaserede indsatser

(jf. bilag 1, s:2)

Beskæftigelses- og Integrationsforvaltningens engagement på området
Der findes i alt 33 boligsociale helhedsplaner i Københavns Kommune. Beskæftigelses- og Integrationsforvaltningen deltager i perioden 2007-2013 som aktiv medspiller i alt 15 boligsociale helhedsplaner. Beskæftigelses og integrationsforvaltningen er herigennem forpligtet til at bidrage med i alt 14,5 mio. kroner i medfinansiering i perioden 2007-2013."""
SEED_ECONOMY = (
    "Udmøntningen af ovenstående anbefalingerne forventes ikke at have økonomiske konsekvenser "
    "i 2009."
)
SEED_FURTHER_PROCESS = """Teknik- og Miljøforvaltningen gennemførte i 2008 i samarbejde med Beskæftigelses- og Integrationsforvaltningen, Statens Byggeforskningsinstitut, Kommunernes Landsforening og Velfærdsministeriet en analyse af forvaltningen af de områdebaserede indsatser i Københavns Kommune i rapporten ”Den horisontale søjle”. Forvaltningens arbejde med optimering af de styringsmæssige processer i forbindelse med de områdebaserede indsatser er forankret i en styregruppe bestående af repræsentanter fra kommunes 7 forvaltninger. Styrgruppen har besluttet at samarbejde om at styrke den tværkommunale tilgang til de områdebaserede indsatser i kommunen med inspiration i forslagene i rapporten ”Den horisontale søjle”."""
SEED_ATTACHMENT_TITLE = "Nye procesmuligheder i forbindelse med de områdebaserede indsatser"
SEED_ATTACHMENT_CASE_NUMBER = "2009-300035"
SEED_INQUIRY = (
    "Et medlem af Beskæftigelses- og Integrationsudvalget ønsker, at udvalget drøfter behovet "
    "for udvikling af nuværende praksis i forhold til styring af de politiske processer i "
    "forbindelse med planlægning og implementering af boligsociale helhedsplaner i regi af "
    "Landsbyggefonden."
)
